// The built frontend in Debian's headless Chromium, through the gateway's nginx config, against the real
// services. At a desktop and a phone width a person registers, logs in with the keyboard only, writes a post
// with an image and comments; every page passes axe-core (nothing "serious" or "critical") and is saved as a
// screenshot. Then the list is paged through with the API's page/limit/total, and its error states are shown.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { source as axeSource } from "axe-core";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startStack, type Stack } from "./lib/stack";
import { servicesDir, tmpDir } from "./lib/env";
import { startFrontendNginx, startGateway, type RunningNginx } from "./lib/nginx";
import { call, closeDb, count, query, registeredUser, uniqueName } from "./lib/http";
import { png } from "./lib/images";

interface Viewport {
    label: string;
    width: number;
    height: number;
}
const viewports: Viewport[] = [
    { label: "desktop", width: 1280, height: 900 },
    { label: "phone", width: 390, height: 844 },
];

// scripts/test-services deletes TEST_TMP when it ends, so the screenshots go where scripts/test keeps its
// logs (.state/test-logs, git-ignored) unless BLOG_SCREENSHOT_DIR says otherwise.
const screenshotDir = process.env.BLOG_SCREENSHOT_DIR ?? path.join(servicesDir, "..", ".state", "test-logs", "screenshots");

interface AxeFinding {
    id: string;
    impact: string | null;
    help: string;
    targets: string[];
}

/** Every violation axe finds, by impact, across the run: printed at the end whatever passed. */
const axeTally: Record<string, number> = {};

/** Runs axe-core in the page as it is now; fails on any "serious" or "critical" violation, naming where. */
async function assertAccessible(page: Page, where: string): Promise<void> {
    // Through the DevTools protocol, which the page's CSP (script-src 'self') does not govern: the test keeps
    // the real CSP instead of switching it off to inject a script tag.
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
        const run = await axe.run(document);
        return {
            version: axe.version,
            passes: run.passes.length,
            violations: run.violations.map((v) => ({
                id: v.id,
                impact: v.impact ?? null,
                help: v.help,
                targets: v.nodes.map((node) => node.target.join(" ")),
            })),
        };
    });
    // No passing rule at all would mean axe did not look at the page, not that the page is fine.
    assert.ok(result.passes > 10, `${where}: axe ${result.version} passed only ${result.passes} rules`);
    for (const v of result.violations) axeTally[v.impact ?? "unknown"] = (axeTally[v.impact ?? "unknown"] ?? 0) + 1;
    const severe: AxeFinding[] = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    const described = severe.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n    at ${v.targets.join("\n    at ")}`);
    assert.equal(severe.length, 0, `${where}: axe ${result.version} found serious or critical violations:\n${described.join("\n")}`);
}

/** The page fits its width: nothing makes a phone scroll sideways. */
async function assertNoSidewaysScroll(page: Page, where: string): Promise<void> {
    const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(widths.content <= widths.viewport, `${where}: content is ${widths.content} px wide in a ${widths.viewport}-px viewport`);
}

/** What a reader sees first: the top of the page, with the images in view loaded. */
async function screenshot(page: Page, name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    // Only the images in view: the list's thumbnails load lazily, so one below the fold may never load.
    await page.waitForFunction(() =>
        Array.from(document.images)
            .filter((img) => img.getBoundingClientRect().top < window.innerHeight)
            .every((img) => img.complete),
    );
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

interface FocusStop {
    element: string;
    target: boolean;
    /** An outline on the element or on its ::after (the post cards draw their ring there). */
    ringVisible: boolean;
}

/** Presses Tab until the element matching `selector` has focus; every stop on the way must show a focus ring. */
async function tabTo(page: Page, selector: string, maxPresses = 12): Promise<FocusStop[]> {
    const stops: FocusStop[] = [];
    for (let i = 0; i < maxPresses; i++) {
        await page.keyboard.press("Tab");
        const stop = await page.evaluate((wanted) => {
            const el = document.activeElement as HTMLElement | null;
            if (!el || el === document.body) return { element: "body", target: false, ringVisible: false };
            const ring = (style: CSSStyleDeclaration) => style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2;
            const name = el.getAttribute("name");
            const text = (el.textContent ?? "").trim().slice(0, 30);
            return {
                element: `${el.tagName.toLowerCase()}${name ? `[name=${name}]` : ""} "${text}"`,
                target: el.matches(wanted),
                ringVisible: ring(getComputedStyle(el)) || ring(getComputedStyle(el, "::after")),
            };
        }, selector);
        stops.push(stop);
        if (stop.target) break;
    }
    const trail = stops.map((s) => `${s.element}${s.ringVisible ? "" : " (no focus ring)"}`).join(" → ");
    assert.ok(stops.at(-1)?.target, `Tab never reached ${selector}: ${trail}`);
    assert.ok(
        stops.every((s) => s.ringVisible),
        `every keyboard stop shows where focus is: ${trail}`,
    );
    return stops;
}

const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("name") ?? null);

describe("frontend in Chromium", function () {
    this.timeout(120000);
    let stack: Stack;
    let frontend: RunningNginx;
    let gateway: RunningNginx;
    let browser: BrowserContext;

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
        mkdirSync(screenshotDir, { recursive: true });
    });
    after(async () => {
        console.log(`      screenshots: ${screenshotDir}`);
        console.log(`      axe violations of any impact, all pages: ${JSON.stringify(axeTally)}`);
        await browser?.close();
        await gateway?.stop();
        await frontend?.stop();
        await stack?.stop();
        await closeDb();
    });

    /** A tab of its own (so its own sessionStorage: nobody is signed in) at the given size. */
    async function openTab(viewport: Viewport, consoleErrors: string[] = []): Promise<Page> {
        const page = await browser.newPage();
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        page.on("console", (message) => {
            if (message.type() === "error") consoleErrors.push(message.text());
        });
        return page;
    }

    for (const viewport of viewports) {
        const size = `${viewport.width}×${viewport.height}`;
        it(`at ${size}: registers, logs in by keyboard, posts with an image, comments; every page passes axe`, async () => {
            const consoleErrors: string[] = [];
            const page = await openTab(viewport, consoleErrors);
            try {
                await journey(page, viewport);
                assert.deepEqual(consoleErrors, []);
            } finally {
                await page.close();
            }
        });
    }

    async function journey(page: Page, viewport: Viewport): Promise<void> {
        const at = `${viewport.label} (${viewport.width} px)`;
        const username = uniqueName("reader");
        const password = "a long enough password";
        const title = `Post ${uniqueName("t")}`;
        // Longer than one excerpt, in two paragraphs: the list must cut it, the post page must show all of it.
        const filler = "The list shows only the start of this text. ".repeat(6);
        const firstParagraph = `Written in a real browser at ${viewport.width} pixels. ${filler}`;
        const body = `${firstParagraph.trim()}\n\nA second paragraph the list never reaches.`;

        await page.goto(`${gateway.url}/`);
        await page.getByRole("heading", { name: "Posts", level: 1 }).waitFor();

        await page.getByRole("link", { name: "Log in or register" }).click();
        await page.getByRole("heading", { name: "Log in or register" }).waitFor();
        await assertAccessible(page, `login page, ${at}`);
        await assertNoSidewaysScroll(page, `login page, ${at}`);
        await screenshot(page, `login-${viewport.label}`);

        await page.getByLabel("Username").fill(username);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Register" }).click();
        await page
            .getByRole("status")
            .filter({ hasText: `Registered ${username}` })
            .waitFor();

        // Log in with the keyboard alone, from a fresh load: nothing focused, both fields empty.
        await page.reload();
        await page.getByRole("heading", { name: "Log in or register" }).waitFor();
        await tabTo(page, "input[name=username]");
        await page.keyboard.type(username);
        await page.keyboard.press("Tab");
        assert.equal(await focusedName(page), "password", "Tab goes from the username to the password");
        await page.keyboard.type(password);
        await page.keyboard.press("Enter");
        await page.getByTestId("whoami").filter({ hasText: username }).waitFor();
        await page.getByRole("heading", { name: "Posts", level: 1 }).waitFor();

        const imageFile = path.join(tmpDir, "upload.png");
        writeFileSync(imageFile, await png(800, 600, { r: 20, g: 120, b: 220 }));
        await page.getByRole("link", { name: "Write a post" }).click();
        await page.getByLabel("Title").fill(title);
        await page.getByLabel("Text").fill(body);
        await page.getByLabel("Image").setInputFiles(imageFile);
        await page.getByRole("button", { name: "Publish" }).click();
        await page.getByRole("heading", { name: title }).waitFor();

        const thumbnail = page.getByRole("img", { name: "attached to the post" });
        await thumbnail.waitFor();
        await page.waitForFunction(() => (document.querySelector("main img") as HTMLImageElement | null)?.complete === true);
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
        await page.getByText("A second paragraph the list never reaches.").waitFor();

        await page.getByLabel("Your comment").fill("First!");
        await page.getByRole("button", { name: "Comment" }).click();
        const comment = page.getByRole("list", { name: "comments" }).getByRole("listitem").filter({ hasText: "First!" });
        await comment.waitFor();

        const [row] = await query(
            "SELECT p.author_name, p.image_id, p.created_at, " +
                "(SELECT array_agg(c.created_at) FROM comments c WHERE c.post_id = p.id) AS comment_times " +
                "FROM posts p WHERE title = $1",
            [title],
        );
        assert.equal(row.author_name, username);
        assert.ok(row.image_id);
        assert.equal(row.comment_times.length, 1);
        // Dates as <time datetime>: the instant the database stored, shown as readable text.
        const postTime = page.getByRole("article").locator("time");
        assert.equal(new Date((await postTime.getAttribute("datetime")) ?? "").getTime(), row.created_at.getTime());
        assert.match((await postTime.textContent()) ?? "", /\d/);
        assert.match((await comment.textContent()) ?? "", new RegExp(username));
        const commentTime = comment.locator("time");
        assert.equal(new Date((await commentTime.getAttribute("datetime")) ?? "").getTime(), row.comment_times[0].getTime());
        assert.match((await commentTime.textContent()) ?? "", /\d/);
        await assertAccessible(page, `post page, ${at}`);
        await assertNoSidewaysScroll(page, `post page, ${at}`);
        await screenshot(page, `post-${viewport.label}`);

        await page.getByRole("link", { name: "Posts", exact: true }).click();
        const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title, exact: true }) });
        await card.waitFor();
        const cardTime = card.locator("time");
        assert.equal(new Date((await cardTime.getAttribute("datetime")) ?? "").getTime(), row.created_at.getTime());
        assert.match((await cardTime.textContent()) ?? "", /\d/);
        const cardText = (await card.textContent()) ?? "";
        assert.ok(cardText.includes(firstParagraph.slice(0, 80)), `the card shows the start of the text: ${cardText}`);
        assert.ok(!cardText.includes("second paragraph"), `the card shows an excerpt, not the whole text: ${cardText}`);
        const listThumbnail = card.locator("img");
        await page.waitForFunction((img) => (img as HTMLImageElement).complete, await listThumbnail.elementHandle());
        const shown = await listThumbnail.evaluate((img: HTMLImageElement) => ({
            decodedWidth: img.naturalWidth,
            shownWidth: img.getBoundingClientRect().width,
            src: img.getAttribute("src"),
        }));
        assert.equal(shown.src, `/api/images/${row.image_id}/thumbnail`);
        assert.equal(shown.decodedWidth, 320, "the list's thumbnail is the decoded 320-px image");
        assert.ok(shown.shownWidth > 40 && shown.shownWidth < viewport.width / 2, `thumbnail shown ${shown.shownWidth} px wide`);
        await assertAccessible(page, `post list, ${at}`);
        await assertNoSidewaysScroll(page, `post list, ${at}`);
        await screenshot(page, `list-${viewport.label}`);
    }

    it("pages through the list as the API's page, limit and total say", async () => {
        const author = await registeredUser(stack.auth.url);
        // More than a page of posts whatever the page size (at most 100) and whatever the other suites wrote.
        for (let i = 1; i <= 12; i++) {
            const created = await call("POST", `${stack.blog.url}/`, {
                token: author.token,
                body: { title: `Paged ${uniqueName("p")}`, body: `Post ${i} of twelve, written so the list needs more than one page.` },
            });
            assert.equal(created.status, 201, JSON.stringify(created.body));
        }
        const page = await openTab(viewports[0]);
        try {
            const listAnswer = (n: number) =>
                page.waitForResponse((r) => r.url().includes("/api/posts/?") && new URL(r.url()).searchParams.get("page") === String(n));
            const shownTitles = () => page.getByRole("main").getByRole("heading", { level: 2 }).allTextContents();

            const [first] = await Promise.all([listAnswer(1), page.goto(`${gateway.url}/`)]);
            const one = await first.json();
            assert.equal(one.total, await count("posts"), "the API's total is every post in the database");
            const pageCount = Math.ceil(one.total / one.limit);
            assert.ok(pageCount >= 2, `total ${one.total}, limit ${one.limit}`);
            await page.getByText(`Page 1 of ${pageCount}`).waitFor();
            assert.deepEqual(
                await shownTitles(),
                one.posts.map((p: { title: string }) => p.title),
            );
            assert.equal(await page.getByRole("link", { name: "Newer posts" }).count(), 0, "no newer page before the first");

            const [second] = await Promise.all([listAnswer(2), page.getByRole("link", { name: "Older posts" }).click()]);
            const two = await second.json();
            await page.getByText(`Page 2 of ${pageCount}`).waitFor();
            assert.equal(new URL(page.url()).hash, "#/page/2");
            assert.deepEqual(
                await shownTitles(),
                two.posts.map((p: { title: string }) => p.title),
            );
            assert.equal(two.posts.length, Math.min(one.limit, one.total - one.limit));
            await assertAccessible(page, "post list, page 2");

            await Promise.all([listAnswer(1), page.getByRole("link", { name: "Newer posts" }).click()]);
            await page.getByText(`Page 1 of ${pageCount}`).waitFor();
            assert.deepEqual(
                await shownTitles(),
                one.posts.map((p: { title: string }) => p.title),
            );

            await page.goto(`${gateway.url}/#/page/${pageCount}`);
            await page.getByText(`Page ${pageCount} of ${pageCount}`).waitFor();
            assert.equal(await page.getByRole("link", { name: "Older posts" }).count(), 0, "no older page after the last");

            await page.goto(`${gateway.url}/#/page/${pageCount + 1}`);
            await page.getByText(`There is no page ${pageCount + 1}`).waitFor();
            await page.getByRole("link", { name: "Go to the newest posts" }).waitFor();
        } finally {
            await page.close();
        }
    });

    it("shows the services' errors, and an empty blog as empty", async () => {
        const page = await openTab(viewports[1]);
        try {
            // The blog service's own 400 (its page maximum is 100000) and 404, through the gateway.
            await page.goto(`${gateway.url}/#/page/100001`);
            assert.match((await page.getByRole("alert").textContent()) ?? "", /querystring\.page/);
            await page.goto(`${gateway.url}/#/posts/2000000000`);
            await page.getByRole("heading", { name: "This post cannot be shown" }).waitFor();
            assert.match((await page.getByRole("alert").textContent()) ?? "", /post 2000000000 does not exist/);
            await assertAccessible(page, "missing post");

            // The suites share one database that already holds posts, so the API's answer for an empty blog is
            // stood in for here: what is checked is the SPA's empty state, not the service.
            await page.route("**/api/posts/?*", (route) => route.fulfill({ json: { posts: [], total: 0, page: 1, limit: 10 } }));
            await page.goto(`${gateway.url}/#/`);
            await page.getByText("No posts yet.").waitFor();
            await page.getByRole("link", { name: "Log in to write the first one" }).waitFor();
            assert.equal(await page.getByRole("navigation", { name: "Pages of posts" }).count(), 0);
        } finally {
            await page.close();
        }
    });

    it("shows the service's message when input is rejected", async () => {
        const page = await openTab(viewports[0]);
        try {
            await page.goto(`${gateway.url}/#/login`);
            await page.getByLabel("Username").fill("Bad Name");
            await page.getByLabel("Password").fill("short");
            await page.getByRole("button", { name: "Register" }).click();
            const alert = await page.getByRole("alert").textContent();
            assert.match(alert ?? "", /body\.(username|password)/);
        } finally {
            await page.close();
        }
    });
});
