// The dev stack on the real node: `pulumi up` with the images built here (by digest from the local
// registry) ends with every pod Running and Ready, and a user's journey through the gateway works.
import * as assert from "node:assert";
import { DATA_STORE_NAMES, SERVICE_NAMES } from "../../../components/shared/topology";
import { BlogClient, gatewayUrl } from "../../../harness/blog-client";
import { isReady, servingPods } from "../../../harness/kube";
import { type DeployedStack, deployStack, destroyStack } from "../../../harness/stacks";
import { png, waitForGatewayRoutes } from "./platform";
import { assertPublicSurface } from "./public-surface";

describe("the dev stack on the real node", function () {
    this.timeout(20 * 60 * 1000);
    let deployed: DeployedStack;
    let gateway: string;

    after(() => destroyStack(deployed));

    it("comes up with every pod Running and Ready under the provider's await logic", () => {
        deployed = deployStack("dev", "dev");
        console.log(`      pulumi up, empty to all Ready: ${deployed.upSeconds.toFixed(1)} s`);
        const serving = servingPods(deployed.namespace);
        assert.deepStrictEqual(
            serving.filter((pod) => !isReady(pod)).map((pod) => pod.metadata.name),
            [],
        );
        for (const name of [...SERVICE_NAMES, ...DATA_STORE_NAMES]) {
            assert.ok(
                serving.some((pod) => pod.metadata.name.startsWith(`${name}-`)),
                `no running pod for ${name}`,
            );
        }
        gateway = gatewayUrl(deployed.namespace);
    });

    it("serves a user's journey through the gateway: register, log in, post with an image, comment, thumbnail", async () => {
        assert.ok(gateway, "the gateway did not come up");
        await waitForGatewayRoutes(deployed.namespace, "pulumi up returned");
        const user = new BlogClient(gateway);
        await user.signUp();

        const imageId = (await user.expect(201, "POST", "/api/images/", png(640, 480), "image/png")).id as number;
        const postId = (
            await user.expect(201, "POST", "/api/posts/", { title: "On a real node", body: "Written through the gateway.", imageId })
        ).id as number;
        await user.expect(201, "POST", "/api/comments/", { postId, body: "First!" });

        const read = await user.expect(200, "GET", `/api/posts/${postId}`);
        assert.strictEqual(read.title, "On a real node");
        const comments = await user.expect(200, "GET", `/api/comments/?postId=${postId}`);
        assert.ok(JSON.stringify(comments).includes("First!"));

        const thumbnail = await user.call("GET", `/api/images/${imageId}/thumbnail`);
        assert.strictEqual(thumbnail.status, 200);
        assert.match(thumbnail.type, /^image\//);
        assert.ok(thumbnail.body.length > 100, "the thumbnail is empty");

        const spa = await user.call("GET", "/");
        assert.strictEqual(spa.status, 200);
        assert.match(spa.body.toString(), /<div id="root">|<script/);
    });

    it("serves no internal endpoint through the gateway: each probe and metrics path is a 404 there, a 200 on its pod", async () => {
        assert.ok(gateway, "the gateway did not come up");
        const outsider = new BlogClient(gateway);
        await assertPublicSurface(deployed.namespace, "gateway", (path) => outsider.call("GET", path));
    });

    it("refuses a write without a token, through the gateway", async () => {
        const anonymous = new BlogClient(gateway);
        assert.strictEqual((await anonymous.call("POST", "/api/posts/", { title: "x", body: "y" })).status, 401);
    });
});
