// The dev stack on the real node: `pulumi up` with the images built here (by digest from the local
// registry) ends with every pod Running and Ready, and a user's journey through the gateway works.
import * as assert from "assert";
import * as zlib from "zlib";
import { REPO_ROOT } from "../../helpers/stack-config";
import { kubectl, pulumi, requireLocalCluster } from "../helpers";
import { removeStack, stackFrom } from "../stacks";

const NAMESPACE = "blog-e2e-dev";

/** A small valid PNG (a colour gradient), so the image service has something real to decode and resize. */
function png(width: number, height: number): Buffer {
    const chunk = (type: string, data: Buffer) => {
        const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(zlib.crc32(body));
        return Buffer.concat([length, body, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
    const rows = Array.from({ length: height }, (_, y) =>
        Buffer.from([0, ...Array.from({ length: width }, (_, x) => [x % 256, y % 256, 128]).flat()]),
    );
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk("IHDR", header),
        chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
        chunk("IEND", Buffer.alloc(0)),
    ]);
}

interface PodList {
    items: { metadata: { name: string; ownerReferences?: { kind: string }[] }; status: { phase: string; conditions?: { type: string; status: string }[]; podIP?: string } }[];
}

describe("the dev stack on the real node", function () {
    this.timeout(20 * 60 * 1000);
    let stack: string;
    let gateway: string;

    before(() => {
        requireLocalCluster();
        stack = stackFrom("dev", {});
    });
    after(() => {
        pulumi(["destroy", "--yes", "--stack", stack], REPO_ROOT, { mayFail: true });
        removeStack(stack);
    });

    it("comes up with every pod Running and Ready under the provider's await logic", () => {
        const started = Date.now();
        pulumi(["up", "--yes", "--stack", stack], REPO_ROOT);
        console.log(`      pulumi up, empty to all Ready: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const pods = JSON.parse(kubectl(["-n", NAMESPACE, "get", "pods", "-o", "json"]).stdout) as PodList;
        const serving = pods.items.filter((pod) => !pod.metadata.ownerReferences?.some((owner) => owner.kind === "Job"));
        const notReady = serving.filter(
            (pod) => pod.status.phase !== "Running" || !pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        );
        assert.deepStrictEqual(
            notReady.map((pod) => pod.metadata.name),
            [],
        );
        for (const name of ["gateway", "frontend", "auth", "blog", "comment", "image", "postgres", "redis"]) {
            assert.ok(
                serving.some((pod) => pod.metadata.name.startsWith(`${name}-`)),
                `no running pod for ${name}`,
            );
        }
        const gatewayPod = serving.find((pod) => pod.metadata.name.startsWith("gateway-"));
        gateway = `http://${gatewayPod?.status.podIP}:8080`;
    });

    it("serves a user's journey through the gateway: register, log in, post with an image, comment, thumbnail", async () => {
        assert.ok(gateway, "the gateway did not come up");
        const call = async (method: string, route: string, body?: unknown, token?: string, contentType = "application/json") => {
            const response = await fetch(`${gateway}${route}`, {
                method,
                headers: { ...(body !== undefined ? { "content-type": contentType } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
                body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
                signal: AbortSignal.timeout(15_000),
            });
            return { status: response.status, type: response.headers.get("content-type") ?? "", body: Buffer.from(await response.arrayBuffer()) };
        };
        const json = (r: { body: Buffer }) => JSON.parse(r.body.toString("utf8"));
        const user = { username: `reader${Date.now()}`, password: "a long enough password" };

        assert.strictEqual((await call("POST", "/api/auth/register", user)).status, 201);
        const login = await call("POST", "/api/auth/login", user);
        assert.strictEqual(login.status, 200, login.body.toString());
        const token = json(login).token as string;

        const upload = await call("POST", "/api/images/", png(640, 480), token, "image/png");
        assert.strictEqual(upload.status, 201, upload.body.toString());
        const imageId = json(upload).id as number;

        const created = await call("POST", "/api/posts/", { title: "On a real node", body: "Written through the gateway.", imageId }, token);
        assert.strictEqual(created.status, 201, created.body.toString());
        const postId = json(created).id as number;

        const commented = await call("POST", "/api/comments/", { postId, body: "First!" }, token);
        assert.strictEqual(commented.status, 201, commented.body.toString());

        const read = json(await call("GET", `/api/posts/${postId}`));
        assert.strictEqual(read.title, "On a real node");
        const comments = json(await call("GET", `/api/comments/?postId=${postId}`));
        assert.ok(JSON.stringify(comments).includes("First!"));

        const thumbnail = await call("GET", `/api/images/${imageId}/thumbnail`);
        assert.strictEqual(thumbnail.status, 200);
        assert.match(thumbnail.type, /^image\//);
        assert.ok(thumbnail.body.length > 100, "the thumbnail is empty");

        const spa = await call("GET", "/");
        assert.strictEqual(spa.status, 200);
        assert.match(spa.body.toString(), /<div id="root">|<script/);
    });

    it("refuses a write without a token, through the gateway", async () => {
        const response = await fetch(`${gateway}/api/posts/`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ title: "x", body: "y" }),
            signal: AbortSignal.timeout(15_000),
        });
        assert.strictEqual(response.status, 401);
    });
});
