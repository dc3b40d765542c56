import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./support";

/**
 * Search engines and link previews (issue #20): /sitemap.xml lists every page an anonymous visitor
 * may open and nothing else, /robots.txt names it, and each public page has one canonical URL, a
 * description and OpenGraph tags.
 */

/** The sitemap's URLs, read by the browser's XML parser (which fails on anything that isn't XML). */
async function sitemapUrls(page: Page, xml: string): Promise<string[]> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) throw new Error(`not XML: ${doc.getElementsByTagName("parsererror")[0]!.textContent}`);
    if (doc.documentElement.localName !== "urlset") throw new Error(`root is <${doc.documentElement.localName}>`);
    return [...doc.getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9", "loc")].map((loc) => loc.textContent!.trim());
  }, xml);
}

test.describe("SEO and sharing", () => {
  test("sitemap.xml lists the public pages with absolute URLs that all open, and nothing signed-in-only", async ({ page, request, baseURL }) => {
    const response = await request.get("/sitemap.xml");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^application\/xml/);
    const xml = await response.text();
    const urls = await sitemapUrls(page, xml);
    const origin = new URL(baseURL!).origin;
    for (const url of urls) {
      expect(url).toMatch(/^https?:\/\//);
      expect(new URL(url).origin, url).toBe(origin);
      expect(new URL(url).search, url).toBe("");
    }
    expect(new Set(urls).size).toBe(urls.length);
    const paths = urls.map((u) => new URL(u).pathname);
    for (const expected of [
      "/",
      "/apis",
      "/apis/pets",
      "/apis/pets/tags/pets",
      "/apis/pets/operations/list-pets",
      "/products/free",
      "/guides/getting-started",
    ]) {
      expect(paths, expected).toContain(expected);
    }
    // Weather Basic is for signed-in developers only; nothing private or per-user is listed.
    expect(paths).not.toContain("/products/weather-basic");
    expect(paths.filter((p) => /^\/(dashboard|admin|account|api\/|mcp|md\/|search|signin)/.test(p))).toEqual([]);

    // Every page is there for an anonymous visitor (a sample of at most 40, spread over the list).
    const step = Math.max(1, Math.ceil(paths.length / 40));
    const sample = paths.filter((_, i) => i % step === 0);
    for (const path of sample) {
      const opened = await request.get(path, { maxRedirects: 0 });
      expect(opened.status(), path).toBe(200);
      expect(opened.headers()["content-type"], path).toMatch(/^text\/html/);
    }

    // The same list for a signed-in reader: the sitemap is the anonymous visitor's, whoever asks.
    await signIn(page, USERS.developer);
    const signedIn = await page.request.get("/sitemap.xml");
    expect(await sitemapUrls(page, await signedIn.text())).toEqual(urls);
  });

  test("robots.txt names the sitemap and keeps crawlers out of the private areas", async ({ request, baseURL }) => {
    const response = await request.get("/robots.txt");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain(`Sitemap: ${new URL(baseURL!).origin}/sitemap.xml`);
    for (const path of ["/dashboard", "/admin", "/account", "/api/", "/mcp", "/md/"]) expect(text).toContain(`Disallow: ${path}\n`);
    expect(text).not.toMatch(/Disallow: \/\s*$/m);
  });

  test("public pages have one canonical URL without the query, a description and OpenGraph tags", async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const pages: { path: string; title: RegExp }[] = [
      // A Preact-rendered docs page and an App Router page, asked for with a query string.
      { path: "/apis/pets/operations/list-pets", title: /^List pets · Pets · / },
      { path: "/guides/getting-started", title: /^Getting started · / },
      { path: "/apis/pets/tags/pets", title: /^pets · Pets · /i },
      { path: "/apis/pets", title: /^Pets API reference · / },
      { path: "/products/free", title: /^Free · / },
      { path: "/apis", title: /^APIs and plans · / },
      { path: "/", title: /^[^·]+$/ },
    ];
    for (const { path, title } of pages) {
      await page.goto(`${path}?utm_source=test&theme=x`);
      await expect(page, path).toHaveTitle(title);
      const canonical = page.locator('link[rel="canonical"]');
      await expect(canonical, path).toHaveCount(1);
      expect(await canonical.getAttribute("href"), path).toBe(`${origin}${path}`);
      const description = page.locator('meta[name="description"]');
      await expect(description, path).toHaveCount(1);
      const text = (await description.getAttribute("content")) ?? "";
      expect(text.length, path).toBeGreaterThan(10);
      expect(text.length, path).toBeLessThanOrEqual(160);
      expect(text, path).not.toMatch(/[*`#]|\]\(/); // plain text, not Markdown
      await expect(page.locator('meta[property="og:title"]'), path).toHaveCount(1);
      expect(await page.locator('meta[property="og:title"]').getAttribute("content"), path).toBeTruthy();
      expect(await page.locator('meta[property="og:description"]').getAttribute("content"), path).toBe(text);
      expect(await page.locator('meta[property="og:url"]').getAttribute("content"), path).toBe(`${origin}${path}`);
      expect(await page.locator('meta[property="og:site_name"]').getAttribute("content"), path).toBeTruthy();
      expect(await page.locator('meta[property="og:type"]').getAttribute("content"), path).toMatch(/^(website|article)$/);
      await expect(page.locator('meta[name="twitter:card"]'), path).toHaveCount(1);
      // The sample portal's logo is an SVG, which link previews don't show: no og:image.
      await expect(page.locator('meta[property="og:image"]'), path).toHaveCount(0);
    }

    // A page that isn't there names no canonical URL.
    const missing = await page.goto("/apis/pets/operations/no-such-operation");
    expect(missing!.status()).toBe(404);
    await expect(page.locator('link[rel="canonical"]')).toHaveCount(0);
  });
});
