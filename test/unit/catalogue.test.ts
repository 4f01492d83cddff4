import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ADMIN_PORT, SERVICE_NAMES, SERVICES, serviceEntry, shellCatalogue } from "../../components/shared/catalogue";
import { parseQuantity } from "../../components/shared/quantity";
import { ROUTABLE_SERVICES } from "../../components/shared/topology";
import { DEFAULTS } from "../../config/defaults";
import { LOCK_NAMES } from "../../config/image-lock";

const ROOT = path.resolve(__dirname, "..", "..");

describe("the workload catalogue", () => {
    for (const name of SERVICE_NAMES) {
        const entry = serviceEntry(name);
        describe(name, () => {
            it("calls other workloads only", () => {
                assert.ok(!(entry.calls as readonly string[]).includes(name), `${name} calls itself`);
                assert.strictEqual(new Set(entry.calls).size, entry.calls.length, `${name} names a callee twice`);
            });

            it("has its sources under services/ unless it runs an upstream image", () => {
                const dir = path.join(ROOT, "services", entry.image);
                assert.strictEqual(fs.existsSync(path.join(dir, "package.json")), entry.runtime !== "nginx", dir);
            });

            it("serves metrics on the admin port when it is a Node.js backend, and only then migrates", () => {
                if (entry.runtime === "node") {
                    assert.strictEqual(entry.metricsPort, ADMIN_PORT);
                } else {
                    assert.strictEqual(entry.migrates, false);
                }
                assert.notStrictEqual(entry.metricsPort, entry.port);
            });

            it("asks for no more than it may use, locally too", () => {
                const { requests, limits } = entry.resources;
                assert.ok((parseQuantity(requests.cpu) ?? 0) <= (parseQuantity(limits.cpu) ?? 0), "cpu request above its limit");
                assert.ok((parseQuantity(requests.memory) ?? 0) <= (parseQuantity(limits.memory) ?? 0), "memory request above its limit");
                assert.ok((parseQuantity(entry.localCpuRequest) ?? 0) <= (parseQuantity(requests.cpu) ?? 0), "local request above prod's");
            });
        });
    }

    it("routes each prefix to one service, with one catch-all, and never to the gateway", () => {
        const routes = SERVICE_NAMES.flatMap((name) => serviceEntry(name).route ?? []);
        assert.strictEqual(new Set(routes).size, routes.length);
        assert.deepStrictEqual(
            routes.filter((route) => route === "/"),
            ["/"],
        );
        for (const route of routes) {
            assert.match(route, /^\/([a-z0-9-]+\/)*$/);
        }
        assert.strictEqual(serviceEntry("gateway").route, undefined);
    });

    it("is what the defaults, the routes, the image lock's names and the shell scripts' list are read from", () => {
        assert.deepStrictEqual(DEFAULTS.services, Object.fromEntries(SERVICE_NAMES.map((name) => [name, SERVICES[name].resources])));
        assert.deepStrictEqual(
            DEFAULTS.routes.map((route) => route.service),
            [...ROUTABLE_SERVICES.filter((name) => serviceEntry(name).route !== "/"), "frontend"],
        );
        assert.deepStrictEqual(LOCK_NAMES.services, Object.fromEntries(SERVICE_NAMES.map((name) => [name, SERVICES[name].image])));
    });

    it("names every service folder scripts/images builds (all of services/ but the shared library and the tests)", () => {
        const folders = fs
            .readdirSync(path.join(ROOT, "services"), { withFileTypes: true })
            .filter((entry) => entry.isDirectory() && !["shared", "test"].includes(entry.name))
            .map((entry) => entry.name);
        assert.deepStrictEqual([...shellCatalogue().services].sort(), folders.sort());
    });
});
