// Secret rotation on the real node: after `secretsRotation` changes, PostgreSQL and Redis accept only the
// new passwords, every service reconnects, every row written before is still there, and tokens signed
// before the rotation are refused while a new login works. Credentials are read from the Secrets with
// kubectl and handed to the pods on stdin, never printed.
import * as assert from "node:assert";
import { credentialsUsedBy } from "../../../components/platform";
import { DATA_STORE_NAMES, SERVICE_NAMES } from "../../../components/shared/topology";
import { BlogClient, gatewayUrl } from "../../../harness/blog-client";
import { isReady, servingPods } from "../../../harness/kube";
import { type DeployedStack, deployStack, destroyStack } from "../../../harness/stacks";
import { podUidsByWorkload, postgresAccepts, redisAccepts, secretValue, settledPods, updateStack, waitForGatewayRoutes } from "./platform";

/** The generated credentials of the platform, as Secret and key. */
const CREDENTIALS = {
    postgres: ["postgres-credentials", "password"],
    redis: ["redis-credentials", "password"],
    auth: ["auth-jwt", "signing-key"],
    image: ["image-api-key", "api-key"],
} as const;
type Credential = keyof typeof CREDENTIALS;

const POSTS = 12;

describe("secret rotation on the real node", function () {
    this.timeout(20 * 60 * 1000);
    let deployed: DeployedStack;
    let namespace: string;
    const user = { client: undefined as unknown as BlogClient, username: "", password: "" };
    const postIds: number[] = [];
    let commentedPost = 0;
    let oldToken = "";
    let old: Record<Credential, string>;
    let podsBefore: Record<string, string[]>;
    let rotationSeconds = 0;

    const readCredentials = () =>
        Object.fromEntries(
            Object.entries(CREDENTIALS).map(([name, [secret, key]]) => [name, secretValue(namespace, secret, key)]),
        ) as Record<Credential, string>;

    after(() => destroyStack(deployed));

    it("deploys a dev copy and writes rows and a session through the API before the rotation", async () => {
        // Monitoring is not part of what rotates here and would only take the node's CPU.
        deployed = deployStack("dev", "rotation", { "blog:secretsRotation": "rotation-a", "blog:monitoring": { enabled: false } });
        namespace = deployed.namespace;
        console.log(`      pulumi up, empty to all Ready: ${deployed.upSeconds.toFixed(1)} s`);
        await waitForGatewayRoutes(namespace, "pulumi up returned");
        user.client = new BlogClient(gatewayUrl(namespace));
        ({ username: user.username, password: user.password } = await user.client.signUp("rotator"));
        for (let i = 0; i < POSTS; i++) {
            postIds.push(
                (await user.client.expect(201, "POST", "/api/posts/", { title: `before rotation ${i}`, body: `row ${i}` })).id as number,
            );
        }
        commentedPost = postIds[0];
        await user.client.expect(201, "POST", "/api/comments/", { postId: commentedPost, body: "written before the rotation" });
        oldToken = user.client.token as string;
        await user.client.expect(200, "GET", "/api/auth/me");

        old = readCredentials();
        podsBefore = podUidsByWorkload(namespace);
        // Without these the refusals below would prove nothing.
        assert.ok(postgresAccepts(namespace, old.postgres), "the database refuses its current password");
        assert.ok(redisAccepts(namespace, old.redis), "Redis refuses its current password");
        assert.ok(!postgresAccepts(namespace, `${old.postgres}x`), "the database accepts a wrong password");
    });

    it("regenerates every credential on `pulumi up` after secretsRotation changes", async () => {
        assert.ok(old, "the stack did not come up");
        rotationSeconds = updateStack(deployed, { "blog:secretsRotation": "rotation-b" });
        console.log(`      pulumi up of the rotation (Secrets, Postgres, Redis and four services rolled): ${rotationSeconds.toFixed(1)} s`);
        // The replaced pods hold the old credentials; until they have drained they may still answer.
        const drained = await settledPods(namespace);
        console.log(`      old pods gone and every pod Ready: ${drained.toFixed(1)} s after pulumi up`);
        const current = readCredentials();
        for (const name of Object.keys(CREDENTIALS) as Credential[]) {
            assert.notStrictEqual(current[name], old[name], `${name}'s credential did not change`);
        }
    });

    it("makes PostgreSQL accept only the new password", () => {
        const fresh = readCredentials();
        assert.ok(postgresAccepts(namespace, fresh.postgres), "the database refuses the new password");
        assert.ok(!postgresAccepts(namespace, old.postgres), "the database still accepts the old password");
    });

    it("makes Redis accept only the new password", () => {
        const fresh = readCredentials();
        assert.ok(redisAccepts(namespace, fresh.redis), "Redis refuses the new password");
        assert.ok(!redisAccepts(namespace, old.redis), "Redis still accepts the old password");
    });

    it("rolls exactly the pods that read or trust a rotated credential, and every pod ends Ready", () => {
        const after = podUidsByWorkload(namespace);
        const rolled = Object.keys(after)
            .filter((workload) => JSON.stringify(after[workload]) !== JSON.stringify(podsBefore[workload]))
            .sort();
        console.log(`      rolled: ${rolled.join(", ")}`);
        const trusting = SERVICE_NAMES.filter((service) => credentialsUsedBy(service).length > 0);
        assert.deepStrictEqual(rolled, [...trusting, ...DATA_STORE_NAMES].sort());
        const notReady = servingPods(namespace)
            .filter((pod) => !isReady(pod))
            .map((pod) => pod.metadata.name);
        assert.deepStrictEqual(notReady, []);
    });

    it("keeps every row written before the rotation readable through the reconnected services", async () => {
        await waitForGatewayRoutes(namespace, "every pod was Ready");
        const reader = new BlogClient(gatewayUrl(namespace));
        let found = 0;
        for (const [i, id] of postIds.entries()) {
            const post = await reader.expect(200, "GET", `/api/posts/${id}`);
            found += post.title === `before rotation ${i}` ? 1 : 0;
        }
        console.log(`      rows after the rotation: ${found}/${postIds.length} posts`);
        assert.strictEqual(found, postIds.length);
        const comments = await reader.expect(200, "GET", `/api/comments/?postId=${commentedPost}`);
        assert.ok(JSON.stringify(comments).includes("written before the rotation"));
    });

    it("refuses a token signed before the rotation, and lets the same user log in again and write", async () => {
        const stale = new BlogClient(gatewayUrl(namespace));
        stale.token = oldToken;
        assert.strictEqual((await stale.call("GET", "/api/auth/me")).status, 401, "auth accepted a token signed with the old key");
        const write = await stale.call("POST", "/api/posts/", { title: "with a stale token", body: "must be refused" });
        assert.strictEqual(write.status, 401, `blog accepted a token signed with the old key: ${write.body.toString()}`);

        const again = new BlogClient(gatewayUrl(namespace));
        again.token = (await again.expect(200, "POST", "/api/auth/login", { username: user.username, password: user.password }))
            .token as string;
        assert.notStrictEqual(again.token, oldToken);
        await again.expect(201, "POST", "/api/posts/", { title: "after rotation", body: "a new token works" });
    });
});
