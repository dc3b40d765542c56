import { expect, test } from "@playwright/test";

/**
 * The docs for AI assistants (issue #19, first part): /llms.txt links each visible page's Markdown
 * twin; the twins answer as Markdown; an HTML page names its twin, and the page's own URL answers
 * Markdown to `Accept: text/markdown`.
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

  test("a twin that isn't there, or of a page the reader may not see, is a 404", async ({ request }) => {
    expect((await request.get("/apis/no-such-api.md")).status()).toBe(404);
    expect((await request.get("/apis/pets/operations/no-such-operation.md")).status()).toBe(404);
  });
});
