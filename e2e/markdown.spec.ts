import { expect, test } from "@playwright/test";

/**
 * The docs for AI assistants (issue #19): /llms.txt links each visible page's Markdown twin; the
 * twins answer as Markdown; an HTML page names its twin, and the page's own URL answers Markdown to
 * `Accept: text/markdown`; each docs page offers its twin to the reader (copy, view, open in an assistant).
 */
test.describe("Markdown twins and llms.txt", () => {
  test("llms.txt lists the catalog's twins, and every link it gives answers Markdown", async ({ request, baseURL }) => {
    const index = await request.get("/llms.txt");
    expect(index.status()).toBe(200);
    expect(index.headers()["content-type"]).toBe("text/plain; charset=utf-8");
    const text = await index.text();
    expect(text).toMatch(/^# .+\n\n> /);
    expect(text).toContain("## APIs");
    const links = [...text.matchAll(/\]\((https?:\/\/[^)]+\.md)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThanOrEqual(3);
    expect(links.some((l) => l.endsWith("/apis/pets.md"))).toBe(true);
    for (const link of links) {
      const twin = await request.get(new URL(link).pathname);
      expect(twin.status(), link).toBe(200);
      expect(twin.headers()["content-type"], link).toBe("text/markdown; charset=utf-8");
      expect(await twin.text(), link).toMatch(/^# /);
    }
    expect(new URL(links[0]!).origin).toBe(new URL(baseURL!).origin);
  });

  test("an operation page names its twin, and its own URL answers Markdown when asked", async ({ page, request }) => {
    await page.goto("/apis/pets/operations/list-pets");
    const href = await page.locator('link[rel="alternate"][type="text/markdown"]').getAttribute("href");
    expect(href).toMatch(/\/apis\/pets\/operations\/list-pets\.md$/);
    const twin = await request.get(new URL(href!, page.url()).pathname);
    const markdown = await twin.text();
    expect(markdown).toContain("GET");
    expect(markdown).toContain("/pets");
    expect(markdown).toContain("x-api-key");
    const negotiated = await request.get("/apis/pets/operations/list-pets", { headers: { accept: "text/markdown" } });
    expect(negotiated.headers()["content-type"]).toBe("text/markdown; charset=utf-8");
    expect(await negotiated.text()).toBe(markdown);
    // A browser's Accept still gets the HTML page.
    const html = await request.get("/apis/pets/operations/list-pets", { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(html.headers()["content-type"]).toMatch(/^text\/html/);
  });

  for (const path of ["/apis/pets/operations/list-pets", "/guides/getting-started"]) {
    test(`${path} offers its twin: View as Markdown, Open in ChatGPT / Claude, and Copy page as Markdown`, async ({ page, context, request, baseURL }) => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
      const violations: string[] = [];
      page.on("console", (message) => /Content Security Policy|Refused to/.test(message.text()) && violations.push(message.text()));
      page.on("pageerror", (error) => violations.push(error.message));
      await page.goto(path);
      const actions = page.getByRole("group", { name: "Page actions" });

      const view = actions.getByRole("link", { name: "View as Markdown" });
      await expect(view).toHaveAttribute("href", `${path}.md`);
      const markdown = await (await request.get(`${path}.md`)).text();
      expect(markdown).toMatch(/^# /);

      // The assistants are asked to read the twin at its absolute URL, in a new tab.
      const prompt = encodeURIComponent(`Read ${new URL(`${path}.md`, baseURL).href} so I can ask questions about it.`);
      for (const [name, href] of [
        ["ChatGPT", `https://chatgpt.com/?hints=search&q=${prompt}`],
        ["Claude", `https://claude.ai/new?q=${prompt}`],
      ]) {
        const link = actions.getByRole("link", { name: new RegExp(`^Open in ${name}`) });
        await expect(link).toHaveAttribute("href", href!);
        await expect(link).toHaveAttribute("target", "_blank");
        await expect(link).toHaveAttribute("rel", "noopener noreferrer");
      }

      // The copy button (enabled once hydrated) puts the twin on the clipboard and says so in its live region.
      const status = actions.getByRole("status");
      await expect(status).toHaveText("");
      await actions.getByRole("button", { name: "Copy page as Markdown" }).click();
      await expect(status).toHaveText("Copied");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(markdown);
      // Keyboard too; the status clears after a moment.
      await expect(status).toHaveText("", { timeout: 5_000 });
      await page.evaluate(() => navigator.clipboard.writeText(""));
      await actions.getByRole("button", { name: "Copy page as Markdown" }).focus();
      await page.keyboard.press("Enter");
      await expect(status).toHaveText("Copied");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(markdown);
      expect(violations).toEqual([]);
    });
  }

  test("a twin that isn't there, or of a page the reader may not see, is a 404", async ({ request }) => {
    expect((await request.get("/apis/no-such-api.md")).status()).toBe(404);
    expect((await request.get("/apis/pets/operations/no-such-operation.md")).status()).toBe(404);
  });
});
