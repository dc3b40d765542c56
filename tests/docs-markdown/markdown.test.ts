import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { visibleTo } from "@/lib/catalog/catalog";
import { llmsFullTxt, llmsTxt, parseMarkdownPath, resolveMarkdown, type MarkdownSources } from "@/lib/catalog/markdown";
import type { Catalog, CatalogApi, CatalogProduct, Viewer } from "@/lib/catalog/types";
import { loadApiDocument, type ApiDocument } from "@/lib/openapi";
import {
  apiFullMarkdown,
  apiMarkdown,
  MAX_PAGE_CHARS,
  MAX_SCHEMA_DEPTH,
  operationMarkdown,
  tagMarkdown,
  TRUNCATED_NOTE,
  type MarkdownContext,
} from "@/lib/openapi/markdown";
import { fixture, op, source } from "../openapi/helpers";
import { prefersMarkdown } from "@/lib/http/markdown";

const SITE = "https://portal.example.com";
const anonymous: Viewer = { user: null, isAdmin: false };
const admin: Viewer = { user: { groups: ["admins"] }, isAdmin: true };

const api = (slug: string, name: string, file: string): CatalogApi => ({
  slug,
  name,
  apiId: `id-${slug}`,
  stage: "prod",
  description: `${name} description`,
  invokeUrl: `https://${slug}.execute-api.eu-west-1.amazonaws.com/prod`,
  spec: { source: "file", file },
});

const product = (slug: string, name: string, apiSlugs: string[], extra: Partial<CatalogProduct> = {}): CatalogProduct => ({
  slug,
  name,
  summary: `${name} summary`,
  visibility: "public",
  approvalRequired: false,
  plan: { id: `plan-${slug}`, name, throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: "DAY", offset: 0 }, apiStages: [], tags: {} },
  apiSlugs,
  source: "catalog",
  ...extra,
});

const FILES = { pets: "catalog/apis/pets.yaml", zoo: "tests/fixtures/openapi/zoo.yaml", secret: "tests/fixtures/openapi/swagger2.json" } as const;

function testCatalog(): Catalog {
  return {
    apis: [api("pets", "Pets", FILES.pets), api("zoo", "Zoo", FILES.zoo), api("secret", "Secret", FILES.secret)],
    products: [
      product("free", "Free", ["pets"]),
      product("pro", "Pro", ["pets", "zoo"], {
        plan: {
          id: "plan-pro",
          name: "Pro",
          throttle: { rateLimit: 50, burstLimit: 100 },
          quota: { limit: 100000, period: "MONTH", offset: 0 },
          apiStages: [],
          tags: {},
        },
      }),
      product("internal", "Internal", ["secret"], { hidden: true }),
      product("partners", "Partners", ["zoo"], { visibility: "partners" as CatalogProduct["visibility"] }),
    ],
    guides: [
      {
        slug: "getting-started",
        file: "guides/getting-started.md",
        title: "Getting started",
        summary: "First call.",
        order: 1,
        visibility: "public",
        markdown: "Open [the catalog](/apis) and [an API](/apis/pets).",
      },
    ],
    refreshedAt: new Date(0).toISOString(),
    problems: [],
  } as Catalog;
}

const documents = new Map<string, Promise<ApiDocument>>();
const loadDocument = (a: CatalogApi) => {
  const file = a.spec.file;
  if (!documents.has(file)) documents.set(file, loadApiDocument(source(file)));
  return documents.get(file)!;
};

function sources(viewer: Viewer): MarkdownSources {
  const catalog = testCatalog();
  return { site: SITE, open: visibleTo(catalog, viewer, { includeHidden: true }), listed: visibleTo(catalog, viewer), loadDocument };
}

const ctx = (slug = "pets", plans: MarkdownContext["plans"] = []): MarkdownContext => ({
  site: SITE,
  api: { slug, name: "Pets", stage: "prod", invokeUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/prod" },
  plans,
});

describe("operation twins", () => {
  it("give the method, path, base URL, auth, parameters, schemas, examples and the plans' limits", async () => {
    const text = await resolveMarkdown({ kind: "operation", api: "pets", operation: "list-pets" }, sources(anonymous));
    expect(text).toMatch(/^# List pets\n/);
    expect(text).toContain("`GET /pets`");
    expect(text).toContain("- Base URL: `https://pets.execute-api.eu-west-1.amazonaws.com/prod`");
    expect(text).toContain("- Full URL: `https://pets.execute-api.eu-west-1.amazonaws.com/prod/pets`");
    expect(text).toContain("Send your API key in the `x-api-key` header");
    expect(text).toContain("| Name | In | Type | Required | Description |");
    expect(text).toMatch(/\| `limit` \| query \| integer, .*default `20` \| no \| How many pets to return \(at most 100\)\./);
    expect(text).toContain("Schema: array of Pet");
    expect(text).toContain("- `name` (string, required)");
    expect(text).toContain("- `id` (integer<int64>, required)");
    expect(text).toContain('"name": "Rex"');
    expect(text).toContain("-H 'x-api-key: YOUR_API_KEY'");
    // Both plans that include pets, with their limits; the API's overview twin linked absolutely.
    expect(text).toContain("- [Free](https://portal.example.com/products/free.md): 10 requests per second (bursts of 20), 1,000 requests per day.");
    expect(text).toContain("- [Pro](https://portal.example.com/products/pro.md): 50 requests per second (bursts of 100), 100,000 requests per month.");
    expect(text).toContain("[Pets](https://portal.example.com/apis/pets.md)");
  });

  it("give the request body's schema and say when no auth is needed", async () => {
    const doc = await loadApiDocument(source(FILES.pets));
    const create = operationMarkdown(ctx(), doc, op(doc, "create-pet"));
    expect(create).toContain("## Request body\n\nRequired.");
    expect(create).toContain("Schema: `NewPet`");
    expect(create).toContain("- `type` (string, one of `dog`, `cat`, `bird`, required)");
    expect(create).toContain("### 400 — The request was invalid.");
    expect(operationMarkdown(ctx(), doc, op(doc, "health"))).toContain("None: no credentials needed.");
  });

  it("mark a recursive schema as such instead of expanding it", async () => {
    const doc = await loadApiDocument(fixture("zoo.yaml"));
    const text = operationMarkdown(ctx(), doc, op(doc, "get-tree"));
    expect(text).toContain("**Deprecated.**");
    expect(text).toContain("- `children` (array of Node) (recursive: Node again, see above)");
  });
});

describe("bounds", () => {
  it("stop a deeply nested schema at the depth limit, and a recursive one at once", async () => {
    // 30 levels of objects, each `{ next: { … }, value }`, and a self-referencing schema through allOf/oneOf.
    let nested = "{ type: object, properties: { leaf: { type: string } } }";
    for (let i = 30; i > 0; i--) nested = `{ type: object, properties: { value: { type: string }, level${i}: ${nested} } }`;
    const spec = `openapi: 3.0.3
info: { title: Deep, version: "1" }
paths:
  /deep:
    post:
      requestBody: { content: { application/json: { schema: ${nested} } } }
      responses:
        "200":
          description: ok
          content: { application/json: { schema: { $ref: "#/components/schemas/Expr" } } }
components:
  schemas:
    Expr:
      oneOf:
        - $ref: "#/components/schemas/Sum"
        - { type: number }
    Sum:
      type: object
      properties:
        left: { $ref: "#/components/schemas/Expr" }
        right: { $ref: "#/components/schemas/Expr" }
        terms: { type: array, items: { $ref: "#/components/schemas/Sum" } }
`;
    const doc = await loadApiDocument({ file: "deep.yaml", text: spec });
    const text = operationMarkdown(ctx(), doc, [...doc.operations.values()][0]!);
    expect(text).toContain("`level1`");
    expect(text).toContain(`nested deeper than ${MAX_SCHEMA_DEPTH} levels: not expanded`);
    expect(text).not.toContain("`level8`");
    expect(text).toContain("(recursive:");
    expect(text.length).toBeLessThan(MAX_PAGE_CHARS);
    // No list item is nested deeper than the limit allows.
    const deepest = Math.max(...text.split("\n").map((l) => /^( *)- /.exec(l)?.[1]?.length ?? 0));
    expect(deepest / 2).toBeLessThanOrEqual(MAX_SCHEMA_DEPTH);
  });

  it("cut a huge page at the budget with a note, and every page of a huge spec stays under it", async () => {
    const properties = Array.from(
      { length: 400 },
      (_, i) =>
        `        p${i}: { type: object, description: "${"word ".repeat(40)}", properties: { a: { type: string }, b: { type: integer }, c: { type: array, items: { type: string } } } }`,
    ).join("\n");
    const paths = Array.from(
      { length: 300 },
      (_, i) =>
        `  /things/${i}:\n    get:\n      tags: [t${i % 3}]\n      summary: Thing ${i}\n      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Big" } } } } }`,
    ).join("\n");
    const spec = `openapi: 3.0.3\ninfo: { title: Huge, version: "1" }\npaths:\n${paths}\ncomponents:\n  schemas:\n    Big:\n      type: object\n      properties:\n${properties}\n`;
    const doc = await loadApiDocument({ file: "huge.yaml", text: spec });
    const page = operationMarkdown(ctx(), doc, [...doc.operations.values()][0]!);
    expect(page.length).toBeLessThanOrEqual(MAX_PAGE_CHARS + 200);
    expect(page).toContain(TRUNCATED_NOTE);
    expect(apiMarkdown(ctx(), doc).length).toBeLessThanOrEqual(MAX_PAGE_CHARS + 200);
    expect(tagMarkdown(ctx(), doc, doc.tags[0]!).length).toBeLessThanOrEqual(MAX_PAGE_CHARS + 200);
    const full = apiFullMarkdown(ctx(), doc, 500_000);
    expect(full.length).toBeLessThanOrEqual(500_200);
    expect(full).toContain(TRUNCATED_NOTE);
  });

  it.runIf(existsSync("/work/shared/data/openapi/twilio_api_v2010.json"))("keep every page of the Twilio spec under the budget", async () => {
    const doc = await loadApiDocument(source("/work/shared/data/openapi/twilio_api_v2010.json"));
    let largest = 0;
    for (const operation of doc.operations.values()) largest = Math.max(largest, operationMarkdown(ctx(), doc, operation).length);
    expect(largest).toBeLessThanOrEqual(MAX_PAGE_CHARS + 200);
    const full = apiFullMarkdown(ctx(), doc, 2_000_000);
    expect(full.length).toBeLessThanOrEqual(2_000_200);
  });
});

describe("tag, overview, guide and product twins", () => {
  it("link each operation's twin from the tag and overview pages", async () => {
    const s = sources(anonymous);
    const tag = await resolveMarkdown({ kind: "tag", api: "pets", tag: "pets" }, s);
    expect(tag).toMatch(/^# pets\n/);
    expect(tag).toContain("- [List pets](https://portal.example.com/apis/pets/operations/list-pets.md): `GET /pets`");
    const overview = await resolveMarkdown({ kind: "api", api: "pets" }, s);
    expect(overview).toMatch(/^# Pets\n/);
    expect(overview).toContain("Pets API, version 1.2.0 (stage `prod`)");
    expect(overview).toContain("`https://pets.execute-api.eu-west-1.amazonaws.com/prod`");
    expect(overview).toContain("### [pets](https://portal.example.com/apis/pets/tags/pets.md)");
    expect(overview).toContain("[Add a pet](https://portal.example.com/apis/pets/operations/create-pet.md): `POST /pets`");
    expect(overview).toContain("[JSON](https://portal.example.com/apis/pets/spec/json)");
  });

  it("make guides' and products' links absolute", async () => {
    const s = sources(anonymous);
    const guide = await resolveMarkdown({ kind: "guide", slug: "getting-started" }, s);
    expect(guide).toContain("# Getting started\n\n> First call.");
    expect(guide).toContain("[the catalog](https://portal.example.com/apis)");
    const pro = await resolveMarkdown({ kind: "product", slug: "pro" }, s);
    expect(pro).toContain("# Pro");
    expect(pro).toContain("50 requests per second (bursts of 100), 100,000 requests per month");
    expect(pro).toContain("- [Pets](https://portal.example.com/apis/pets.md)");
    expect(pro).toContain("- [Zoo](https://portal.example.com/apis/zoo.md)");
  });
});

describe("visibility", () => {
  it("a hidden product and its only API are a 404 and not listed; an admin may open but not list them", async () => {
    const anon = sources(anonymous);
    await expect(resolveMarkdown({ kind: "api", api: "secret" }, anon)).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveMarkdown({ kind: "operation", api: "secret", operation: "x" }, anon)).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveMarkdown({ kind: "product", slug: "internal" }, anon)).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveMarkdown({ kind: "product", slug: "partners" }, anon)).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveMarkdown({ kind: "operation", api: "pets", operation: "nope" }, anon)).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveMarkdown({ kind: "guide", slug: "__proto__" }, anon)).rejects.toMatchObject({ code: "not_found" });
    // The partners-only plan's limits don't show to the anonymous reader.
    expect(await resolveMarkdown({ kind: "api", api: "zoo" }, anon)).not.toContain("Partners");

    const txt = llmsTxt({ site: SITE, name: "Portal" }, anon.listed);
    expect(txt).not.toContain("secret");
    expect(txt).not.toContain("Internal");
    expect(txt).not.toContain("Partners");
    const full = await llmsFullTxt({ site: SITE, name: "Portal" }, anon.listed, loadDocument);
    expect(full).not.toContain("Secret");
    expect(full).toContain("List pets");

    const asAdmin = sources(admin);
    expect(await resolveMarkdown({ kind: "api", api: "secret" }, asAdmin)).toContain("# Secret");
    expect(llmsTxt({ site: SITE, name: "Portal" }, asAdmin.listed)).not.toContain("Internal");
  });
});

describe("llms.txt", () => {
  it("follows the convention: H1, blockquote, then sections of absolute .md links", () => {
    const txt = llmsTxt({ site: SITE, name: "Portico Demo", tagline: "APIs for pets." }, visibleTo(testCatalog(), anonymous));
    const lines = txt.split("\n");
    expect(lines[0]).toBe("# Portico Demo");
    expect(lines[2]).toMatch(/^> APIs for pets\. /);
    const sections = lines.filter((l) => l.startsWith("## "));
    expect(sections).toEqual(["## APIs", "## Products", "## Guides"]);
    const links = lines.filter((l) => l.startsWith("- "));
    for (const link of links) expect(link).toMatch(/^- \[[^\]]+\]\(https:\/\/portal\.example\.com\/[^)]+\.md\)(: .+)?$/);
    expect(links).toContain(
      "- [Pets](https://portal.example.com/apis/pets.md): Pets description. Full reference: https://portal.example.com/apis/pets/llms-full.txt",
    );
    expect(links).toContain("- [Free](https://portal.example.com/products/free.md): Free summary");
    expect(links).toContain("- [Getting started](https://portal.example.com/guides/getting-started.md): First call.");
  });

  it("llms-full.txt is every listed API, cut at its budget with a note", async () => {
    const catalog = visibleTo(testCatalog(), anonymous);
    const full = await llmsFullTxt({ site: SITE, name: "Portal" }, catalog, loadDocument);
    expect(full).toContain("## Pets");
    expect(full).toContain("## Zoo");
    expect(full).toContain("### Fetch a tree of nodes");
    const cut = await llmsFullTxt({ site: SITE, name: "Portal" }, catalog, loadDocument, 3_000);
    expect(cut.length).toBeLessThanOrEqual(3_200);
    expect(cut).toContain(TRUNCATED_NOTE);
  });
});

describe("addresses", () => {
  it("parses twin paths and refuses anything else", () => {
    expect(parseMarkdownPath(["apis", "pets"])).toEqual({ kind: "api", api: "pets" });
    expect(parseMarkdownPath(["apis", "pets", "operations", "list-pets"])).toEqual({ kind: "operation", api: "pets", operation: "list-pets" });
    expect(parseMarkdownPath(["apis", "pets", "tags", "pets"])).toEqual({ kind: "tag", api: "pets", tag: "pets" });
    expect(parseMarkdownPath(["apis", "pets", "llms-full.txt"])).toEqual({ kind: "api-full", api: "pets" });
    expect(parseMarkdownPath(["guides", "x"])).toEqual({ kind: "guide", slug: "x" });
    expect(parseMarkdownPath(["products", "x"])).toEqual({ kind: "product", slug: "x" });
    for (const bad of [
      [],
      ["apis"],
      ["apis", "pets", "spec", "json"],
      ["apis", "pets", "operations"],
      ["guides", "a", "b"],
      ["admin", "users"],
      ["apis", "", "tags", "x"],
    ]) {
      expect(parseMarkdownPath(bad)).toBeUndefined();
    }
  });

  it("answers Markdown to Accept: text/markdown, not to a browser's Accept", () => {
    expect(prefersMarkdown("text/markdown")).toBe(true);
    expect(prefersMarkdown("text/markdown, text/html;q=0.9")).toBe(true);
    expect(prefersMarkdown("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).toBe(false);
    expect(prefersMarkdown("text/html, text/markdown")).toBe(false);
    expect(prefersMarkdown("text/markdown;q=0")).toBe(false);
    expect(prefersMarkdown(null)).toBe(false);
  });
});
