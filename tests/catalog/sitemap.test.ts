import { describe, expect, it } from "vitest";
import type { Catalog, CatalogApi, CatalogProduct } from "@/lib/catalog/types";
import type { GuideFile } from "@/lib/catalog/files";
import { MAX_SITEMAP_URLS, ogImageOf, plainDescription, robotsFor, ROBOTS_DISALLOW, sitemapUrls, type SitemapDocument } from "@/lib/catalog/sitemap";

const SITE = "https://developer.example.com";

const api = (slug: string) => ({ slug, name: slug }) as CatalogApi;
const product = (slug: string) => ({ slug, name: slug }) as CatalogProduct;
const guide = (slug: string) => ({ slug, title: slug }) as GuideFile;
const document = (tags: string[], operations: string[]): SitemapDocument =>
  ({ tags: tags.map((slug) => ({ slug })), operations: new Map(operations.map((slug) => [slug, {}])) }) as unknown as SitemapDocument;

const catalog: Pick<Catalog, "apis" | "products" | "guides"> = {
  apis: [api("pets"), api("broken spec")],
  products: [product("free")],
  guides: [guide("getting-started")],
};

describe("sitemap", () => {
  it("lists home, the catalog, each API with its tags and operations, products and guides, absolute and encoded", () => {
    const urls = sitemapUrls(SITE, catalog, new Map([["pets", document(["pets"], ["list-pets", "get-pet"])]]));
    expect(urls).toEqual([
      `${SITE}/`,
      `${SITE}/apis`,
      `${SITE}/products/free`,
      `${SITE}/guides/getting-started`,
      `${SITE}/apis/pets`,
      // An API whose spec didn't load still has its overview.
      `${SITE}/apis/broken%20spec`,
      `${SITE}/apis/pets/tags/pets`,
      `${SITE}/apis/pets/operations/list-pets`,
      `${SITE}/apis/pets/operations/get-pet`,
    ]);
    expect(urls.every((u) => u.startsWith(`${SITE}/`) && !u.includes("?"))).toBe(true);
  });

  it("lists only what the catalog given holds (the anonymous visitor's): nothing else is invented", () => {
    const urls = sitemapUrls(SITE, { apis: [], products: [], guides: [] }, new Map());
    expect(urls).toEqual([`${SITE}/`, `${SITE}/apis`]);
  });

  it("is cut at the protocol's 50,000 URLs, overviews first", () => {
    const huge = document(["t"], Array.from({ length: 60_000 }, (_, i) => `op-${i}`));
    const urls = sitemapUrls(SITE, catalog, new Map([["pets", huge]]));
    expect(urls).toHaveLength(MAX_SITEMAP_URLS);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.slice(0, 6)).toContain(`${SITE}/apis/broken%20spec`);
    expect(sitemapUrls(SITE, catalog, new Map([["pets", huge]]), 3)).toEqual([`${SITE}/`, `${SITE}/apis`, `${SITE}/products/free`]);
  });
});

describe("robots.txt", () => {
  it("points to the sitemap and keeps crawlers out of the signed-in and machine areas", () => {
    const robots = robotsFor(SITE);
    expect(robots.sitemap).toBe(`${SITE}/sitemap.xml`);
    expect(robots.rules).toEqual([{ userAgent: "*", allow: "/", disallow: ROBOTS_DISALLOW }]);
    expect(ROBOTS_DISALLOW).toEqual(["/dashboard", "/admin", "/account", "/api/", "/mcp", "/md/"]);
  });
});

describe("meta descriptions", () => {
  it("are plain text from Markdown: no markup, links as their text, code blocks dropped", () => {
    const markdown = [
      "# Pets API",
      "",
      "Adopt a **pet**. See [the guide](/guides/getting-started) and `GET /pets`.",
      "",
      "```json",
      '{ "id": 1 }',
      "```",
      "",
      "- one _item_",
      "> quoted <b>bold</b> &amp; more ![logo](/x.png)",
    ].join("\n");
    expect(plainDescription(markdown)).toBe("Pets API Adopt a pet. See the guide and GET /pets. one item quoted bold & more logo");
  });

  it("are cut at a word near 160 characters with an ellipsis, and absent when empty", () => {
    const long = "word ".repeat(100);
    const cut = plainDescription(long)!;
    expect(cut.length).toBeLessThanOrEqual(160);
    expect(cut).toMatch(/word…$/);
    expect(plainDescription("Short.")).toBe("Short.");
    expect(plainDescription(undefined)).toBeUndefined();
    expect(plainDescription("```\ncode only\n```")).toBeUndefined();
    // Bounded work on a huge description.
    expect(plainDescription(`${"[a](b) ".repeat(200_000)}`)!.length).toBeLessThanOrEqual(160);
  });
});

describe("og:image", () => {
  it("is the logo only if it's a PNG (link previews don't show SVG)", () => {
    expect(ogImageOf(SITE, { logo: "logo.png" })).toBe(`${SITE}/brand/logo`);
    expect(ogImageOf(SITE, { logo: "logo.svg" })).toBeUndefined();
    expect(ogImageOf(SITE, {})).toBeUndefined();
  });
});
