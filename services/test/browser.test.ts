// The built frontend in Debian's headless Chromium, through the gateway's nginx config, against the real
// services: a person registers, logs in, writes a post with an image, comments, and sees the thumbnail.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startStack, type Stack } from "./lib/stack";
import { servicesDir, tmpDir } from "./lib/env";
import { startFrontendNginx, startGateway, type RunningNginx } from "./lib/nginx";
import { closeDb, query, uniqueName } from "./lib/http";
import { png } from "./lib/images";

describe("frontend in Chromium", function () {
    this.timeout(120000);
    let stack: Stack;
    let frontend: RunningNginx;
    let gateway: RunningNginx;
    let browser: BrowserContext;
    let page: Page;
    const consoleErrors: string[] = [];

    before(async () => {
        stack = await startStack();
        frontend = await startFrontendNginx(path.join(servicesDir, "frontend"));
        const hostPort = (url: string) => url.replace("http://", "");
        gateway = await startGateway({
            auth: hostPort(stack.auth.url),
            blog: hostPort(stack.blog.url),
            comment: hostPort(stack.comment.url),
            image: hostPort(stack.image.url),
            frontend: hostPort(frontend.url),
        });
        browser = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpDir, "chromium-")), {
            executablePath: "/usr/bin/chromium",
            headless: true,
            args: [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        });
        page = browser.pages()[0] ?? (await browser.newPage());
        page.on("console", (message) => {
            if (message.type() === "error") consoleErrors.push(message.text());
        });
    });
    after(async () => {
        await browser?.close();
        await gateway?.stop();
        await frontend?.stop();
        await stack?.stop();
        await closeDb();
    });

    it("registers, logs in, writes a post with an image, comments, and shows the thumbnail", async () => {
        const username = uniqueName("reader");
        const password = "a long enough password";
        const title = `Post ${uniqueName("t")}`;
        await page.goto(`${gateway.url}/`);
        await page.getByRole("heading", { name: "Posts" }).waitFor();

        await page.getByRole("link", { name: "Log in or register" }).click();
        await page.getByLabel("Username").fill(username);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Register" }).click();
        await page
            .getByRole("status")
            .filter({ hasText: `Registered ${username}` })
            .waitFor();
        await page.getByRole("button", { name: "Log in" }).click();
        await page.getByTestId("whoami").filter({ hasText: username }).waitFor();

        const imageFile = path.join(tmpDir, "upload.png");
        writeFileSync(imageFile, await png(800, 600, { r: 20, g: 120, b: 220 }));
        await page.getByRole("link", { name: "Write a post" }).click();
        await page.getByLabel("Title").fill(title);
        await page.getByLabel("Text").fill("Written in a real browser.");
        await page.getByLabel("Image").setInputFiles(imageFile);
        await page.getByRole("button", { name: "Publish" }).click();
        await page.getByRole("heading", { name: title }).waitFor();

        const thumbnail = page.getByRole("img", { name: "attached to the post" });
        await thumbnail.waitFor();
        await page.waitForFunction(() => (document.querySelector("img") as HTMLImageElement | null)?.complete === true);
        const size = await thumbnail.evaluate((img: HTMLImageElement) => ({
            width: img.naturalWidth,
            height: img.naturalHeight,
            src: img.getAttribute("src"),
        }));
        assert.deepEqual(
            { width: size.width, height: size.height },
            { width: 320, height: 240 },
            "the browser decoded the 320-px thumbnail",
        );
        assert.match(size.src ?? "", /^\/api\/images\/\d+\/thumbnail$/);

        await page.getByLabel("Your comment").fill("First!");
        await page.getByRole("button", { name: "Comment" }).click();
        await page.getByRole("list", { name: "comments" }).getByText("First!").waitFor();

        await page.getByRole("link", { name: "Posts" }).click();
        await page.getByRole("link", { name: title }).waitFor();

        const [row] = await query(
            "SELECT p.author_name, p.image_id, (SELECT count(*)::int FROM comments c WHERE c.post_id = p.id) AS comments " +
                "FROM posts p WHERE title = $1",
            [title],
        );
        assert.equal(row.author_name, username);
        assert.ok(row.image_id);
        assert.equal(row.comments, 1);
        assert.deepEqual(consoleErrors, []);
    });

    it("shows the service's message when input is rejected", async () => {
        await page.goto(`${gateway.url}/#/login`);
        await page.getByLabel("Username").fill("Bad Name");
        await page.getByLabel("Password").fill("short");
        await page.getByRole("button", { name: "Register" }).click();
        const alert = await page.getByRole("alert").textContent();
        assert.match(alert ?? "", /body\.(username|password)/);
    });
});
