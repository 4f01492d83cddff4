import * as assert from "node:assert";
import { receiverEgress, webhookCidr, webhookPort } from "../../components/monitoring/network";

describe("Alertmanager's egress to its receivers", () => {
    const cases: [string, string, number][] = [
        ["https://hooks.example.com/services/T0/B0/token", "0.0.0.0/0", 443],
        ["http://hooks.example.com/alerts", "0.0.0.0/0", 80],
        ["http://10.244.0.1:39011/alertmanager", "10.244.0.1/32", 39011],
        ["https://[fd00::1]:8443/hook", "fd00::1/128", 8443],
    ];
    for (const [url, cidr, port] of cases) {
        it(`reaches ${url.replace(/\/[^/]*$/, "/…")} at ${cidr} port ${port}`, () => {
            assert.strictEqual(webhookCidr(url), cidr);
            assert.strictEqual(webhookPort(url), port);
        });
    }

    it("allows exactly a receiver's address when its URL names one, and only the URLs' ports per destination", () => {
        const rules = receiverEgress([
            "http://10.244.0.1:39011/alertmanager",
            "https://hooks.example.com/a",
            "http://10.244.0.1:39012/other",
            "https://chat.example.com:8443/b",
        ]);
        assert.deepStrictEqual(
            rules.map((rule) => [rule.peers?.map((peer) => (peer.ipBlock as { cidr: string }).cidr), rule.ports]),
            [
                [["0.0.0.0/0"], [443, 8443]],
                [["10.244.0.1/32"], [39011, 39012]],
            ],
        );
    });

    it("allows nothing without receivers", () => {
        assert.deepStrictEqual(receiverEgress([]), []);
    });
});
