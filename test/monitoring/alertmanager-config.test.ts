import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type AlertReceiver, alertmanagerYaml } from "../../components/monitoring/alertmanager-config";
import * as yaml from "js-yaml";
import { amtool, run } from "./tools";

const RECEIVERS: AlertReceiver[] = [
    { name: "pager", webhookUrl: "https://pager.example.com/hooks/abc123", severities: ["critical"] },
    { name: "chat", webhookUrl: "https://chat.example.com/hooks/def456", severities: ["critical", "warning"] },
];

describe("alertmanager.yml", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "alertmanager-config-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (receivers: readonly AlertReceiver[], name: string, groupInterval?: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, alertmanagerYaml(receivers, groupInterval));
        return file;
    };
    /** The receivers amtool's own routing tree sends an alert with these labels to. */
    const routeOf = (file: string, ...labels: string[]) => {
        const result = run(amtool(), ["config", "routes", "test", `--config.file=${file}`, ...labels]);
        assert.strictEqual(result.status, 0, result.output);
        return result.output
            .split("\n")
            .filter((line) => line && !line.startsWith("Warning:"))
            .join("")
            .split(",")
            .sort();
    };

    it("passes amtool check-config with receivers and without", () => {
        for (const [receivers, name] of [
            [RECEIVERS, "with.yml"],
            [[], "without.yml"],
        ] as const) {
            const result = run(amtool(), ["check-config", write(receivers, name)]);
            assert.strictEqual(result.status, 0, result.output);
            assert.match(result.output, /SUCCESS/);
        }
    });

    it("routes each severity to exactly the receivers that subscribed to it (amtool config routes test)", () => {
        const file = write(RECEIVERS, "routes.yml");
        assert.deepStrictEqual(routeOf(file, "severity=critical", "alertname=PostgresDown"), ["chat", "pager"]);
        assert.deepStrictEqual(routeOf(file, "severity=warning", "alertname=TargetDown"), ["chat"]);
        assert.deepStrictEqual(routeOf(file, "severity=info"), ["blackhole"]);
    });

    it("notifies changes in a notified group (resolutions too) after the group interval: 5m unless the stack sets one", () => {
        const route = (groupInterval?: string) =>
            (
                yaml.load(alertmanagerYaml(RECEIVERS, groupInterval)) as {
                    route: { group_interval: string; routes: Record<string, unknown>[] };
                }
            ).route;
        assert.strictEqual(route().group_interval, "5m");
        assert.strictEqual(route("10s").group_interval, "10s");
        // Child routes inherit it: none sets its own.
        assert.ok(route("10s").routes.every((r) => !("group_interval" in r)));
        const result = run(amtool(), ["check-config", write(RECEIVERS, "short.yml", "10s")]);
        assert.strictEqual(result.status, 0, result.output);
    });

    it("sends nothing anywhere when no receiver is configured", () => {
        const file = write([], "none.yml");
        assert.deepStrictEqual(routeOf(file, "severity=critical"), ["blackhole"]);
    });
});
