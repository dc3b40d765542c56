// Every docs page within one output budget, whatever the spec (issue 20, "Any spec, bounded"):
// hostile specs built here and the real ones on this machine, rendered as the docs routes render
// them, each page held to 1 MB of HTML, 10 s and 512 MB of heap.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { h } from "preact";
import { render } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { OperationView } from "@/components/docs/operation-view";
import { loadApiDocument } from "@/lib/openapi";
import { MAX_PAGE_BYTES, markdownCost, PageBudget } from "@/lib/openapi/budget";
import { MAX_PAGE_CHARS, operationMarkdown, tagMarkdown, TRUNCATED_NOTE, type MarkdownContext } from "@/lib/openapi/markdown";
import { groupMedia } from "@/lib/openapi/media-groups";
import type { ApiDocument, Operation, Schema } from "@/lib/openapi/types";
import * as hostile from "./hostile-specs";
import { API, count, figures, measure, operationPage, overviewPage, tagPage, type Measured } from "./render-pages";

const MAX_MS = 10_000;
// Loading a hostile spec can take seconds on a shared 2-core box; the bounds asserted are the render's.
const MAX_HEAP_MB = 512;
/**
 * The overview is a React page: its HTML is sent twice, in the page and in its RSC payload (where
 * quotes and angle brackets are escaped, growing it by up to half), plus the header and boxes.
 */
const overviewBytes = (html: string) => 2.6 * Buffer.byteLength(html) + 30_000;

function withinBounds(label: string, m: Measured, bytes = Buffer.byteLength(m.html)) {
  console.log(figures(label, m));
  expect(bytes, `${label}: bytes`).toBeLessThanOrEqual(MAX_PAGE_BYTES);
  expect(m.ms, `${label}: ms`).toBeLessThan(MAX_MS);
  expect(m.heapMb, `${label}: heap MB`).toBeLessThan(MAX_HEAP_MB);
}

async function load(text: string, file = "hostile.json"): Promise<ApiDocument> {
  return loadApiDocument({ file, text });
}

function operation(doc: ApiDocument, slug: string): Operation {
  const op = doc.operations.get(slug);
  if (!op) throw new Error(`no ${slug} in ${[...doc.operations.keys()].slice(0, 5).join(", ")}…`);
  return op;
}

/** Every page of a spec that its size can make big: the given operations, their tags, the overview. */
function allPagesWithin(label: string, doc: ApiDocument, slugs: string[]) {
  const pages: Record<string, string> = {};
  for (const slug of slugs) {
    const op = operation(doc, slug);
    const m = measure(() => operationPage(doc, op));
    withinBounds(`${label} operation ${slug}`, m);
    pages[`operation:${slug}`] = m.html;
    const tag = doc.tags.find((t) => t.slug === op.tagSlug);
    if (tag && !pages[`tag:${tag.slug}`]) {
      const t = measure(() => tagPage(doc, tag));
      withinBounds(`${label} tag ${tag.slug} (${tag.operations.length} operations)`, t);
      pages[`tag:${tag.slug}`] = t.html;
    }
  }
  const o = measure(() => overviewPage(doc));
  withinBounds(`${label} overview`, o, overviewBytes(o.html));
  pages.overview = o.html;
  return pages;
}

/** The operation's own article (the sidebar and samples cut away). */
function article(html: string): string {
  return html.slice(html.indexOf("<article"), html.indexOf("</article>"));
}

function sidebar(html: string): string {
  return html.slice(html.indexOf("<nav"), html.indexOf("</nav>"));
}

describe("hostile specs: every page bounded, the important content kept", { timeout: 180_000 }, () => {
  it("500 responses: the first in full, the rest listed by status, each schema rendered once", async () => {
    const doc = await load(hostile.manyResponses(500));
    const { "operation:answers": page } = allPagesWithin("500 responses", doc, ["answers"]);
    const body = article(page as string);
    // The first answers in full: heading, description, schema fields and example.
    expect(body).toContain('id="answers-response-100"');
    expect(body).toContain("Answer number 0: what it means");
    expect(body).toMatch(/sv-name">field_24</);
    expect(body).toContain("answer 0");
    // Past the first 20, a compact line each, with its own anchor, down to the last one.
    expect(body).toMatch(/480 more responses/);
    expect(body).toContain('id="answers-response-599"');
    expect(body).toContain("Answer number 499");
    expect(count(body, 'sv-name">field_24<')).toBeLessThanOrEqual(20);
  });

  it("2,000 media types sharing one schema: one list, headed by all of them", async () => {
    const doc = await load(hostile.manyMediaTypes(2_000));
    const { "operation:things": page } = allPagesWithin("2,000 media types ($ref)", doc, ["things"]);
    const body = article(page as string);
    expect(body).toContain("(2,000 media types)");
    expect(body).toContain("application/x-type-0+json, application/x-type-1+json, application/x-type-2+json");
    // Thing's fields once for the request body and once for the response: not 4,000 times.
    expect(count(body, 'sv-name">field_29<')).toBe(2);
    expect(body).toContain("and 1,960 more");
  });

  it("2,000 media types with equal inline schemas and their own examples: grouped by shape, examples bounded", async () => {
    const doc = await load(hostile.manyMediaTypes(2_000, { shared: false }));
    const op = operation(doc, "things");
    // Structurally equal, different objects: grouped all the same.
    expect(op.requestBody?.content[0]?.schema).not.toBe(op.requestBody?.content[1]?.schema);
    expect(groupMedia(op.requestBody?.content ?? [])).toHaveLength(1);
    const { "operation:things": page } = allPagesWithin("2,000 media types (inline)", doc, ["things"]);
    const body = article(page as string);
    expect(count(body, 'sv-name">field_4<')).toBe(2);
    expect(body).toContain("example for type 0");
    expect(body).not.toContain("example for type 1999");
    expect(body).toMatch(/1,997 more examples not shown/);
  });

  it("5,000 parameters: the first in full, then a compact table, then a count", async () => {
    const doc = await load(hostile.manyParameters(5_000));
    const { "operation:search": page } = allPagesWithin("5,000 parameters", doc, ["search"]);
    const body = article(page as string);
    expect(body).toContain("What parameter 0 filters by");
    expect(body).toContain("What parameter 39 filters by");
    // Past 40: names and types only.
    expect(body).not.toContain("What parameter 40 filters by");
    expect(body).toContain("4,960 more parameters, in short");
    expect(body).toMatch(/param_40</);
    expect(body).toMatch(/[\d,]+ more parameters are not shown: this page is at its size limit/);
  });

  it("signed in, the try-it console's data is bounded too: 5,000 parameters, 2,000 media types", async () => {
    for (const [label, spec, slug] of [
      ["5,000 parameters, signed in", hostile.manyParameters(5_000), "search"],
      ["2,000 media types, signed in", hostile.manyMediaTypes(2_000, { shared: false }), "things"],
    ] as const) {
      const doc = await load(spec);
      const m = measure(() => operationPage(doc, operation(doc, slug), true));
      withinBounds(label, m);
      // The console is there, with its form's data cut to the bound (lib/openapi/try-it.ts).
      const props = /data-island="try-it" data-props="([^"]*)"/.exec(m.html)?.[1];
      expect(props, `${label}: the try-it island`).toBeDefined();
      const tryIt = JSON.parse(
        props!
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, "&")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">"),
      ) as {
        operation: { parameters: unknown[]; bodies: unknown[] };
      };
      expect(tryIt.operation.parameters.length).toBeLessThanOrEqual(100);
      expect(tryIt.operation.bodies.length).toBeLessThanOrEqual(5);
    }
  });

  it("signed in, the try-it console's data is bounded for big enums, many servers and long names", async () => {
    const islandProps = (html: string) =>
      JSON.parse(
        (/data-island="try-it" data-props="([^"]*)"/.exec(html)?.[1] ?? "null")
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, "&")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">"),
      ) as { operation: { servers: string[]; parameters: { name: string; enum?: string[]; example?: string }[]; bodies: { contentType: string }[] } } | null;
    const pages = {} as Record<string, ReturnType<typeof islandProps>>;
    for (const [label, spec, slug] of [
      ["100 parameters × 100 enum values of 200 characters, signed in", hostile.bigEnums(), "choose"],
      ["5,000 servers, signed in", hostile.manyServers(5_000), "ping"],
      ["100 parameters with 20,000-character names, signed in", hostile.longNames(), "named"],
    ] as const) {
      const doc = await load(spec);
      const m = measure(() => operationPage(doc, operation(doc, slug), true));
      withinBounds(label, m);
      expect(Buffer.byteLength(m.html), `${label}: bytes`).toBeLessThanOrEqual(1_000_000);
      pages[slug] = islandProps(m.html);
      expect(pages[slug], `${label}: the try-it island`).not.toBeNull();
    }
    // Every parameter is offered; the enums that fit in the budget as lists, the rest as text boxes.
    const params = pages.choose!.operation.parameters;
    expect(params).toHaveLength(100);
    const listed = params.filter((p) => p.enum);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(100);
    expect(listed.flatMap((p) => p.enum!).join("").length).toBeLessThanOrEqual(20_000);
    for (const p of listed) expect(p.enum).toHaveLength(100);
    // Those in text boxes are prefilled with their first value still.
    for (const p of params.filter((p) => !p.enum)) expect(p.example).toBe(`${p.name.replace("q", "v")}_0_`.padEnd(200, "x"));
    expect(pages.ping!.operation.servers).toHaveLength(10);
    // Names nobody could type (and a media type /api/try won't take) aren't offered; the rest are.
    expect(pages.named!.operation.parameters).toEqual([]);
    expect(pages.named!.operation.bodies.map((b) => b.contentType)).toEqual(["application/json"]);
  });

  it("5,000 tags: the sidebar lists 100 and links the overview; the overview names thousands, then counts the rest", async () => {
    const doc = await load(hostile.manyTags(5_000));
    const pages = allPagesWithin("5,000 tags", doc, ["op2500"]);
    const nav = sidebar(pages["operation:op2500"] as string);
    expect(count(nav, 'href="/apis/big/tags/')).toBeLessThanOrEqual(101);
    // The current tag is there though it is number 2,500.
    expect(nav).toContain('href="/apis/big/operations/op2500" aria-current="page"');
    expect(nav).toMatch(/<a href="\/apis\/big"[^>]*>4,900 more tags: see the API overview/);
    const overview = pages.overview as string;
    expect(overview).toContain("Tag number 0");
    expect(overview).toContain("Tag number 1000");
    expect(overview).toMatch(/[\d,]+ more tags not listed: this page is at its size limit/);
    // The tag page's own sidebar is as small.
    expect(count(sidebar(pages["tag:tag-number-2500"] as string), "<li")).toBeLessThan(110);
  });

  it("a tag of 2,000 operations: a window of 50 in the sidebar, all 2,000 on the tag page", async () => {
    const doc = await load(hostile.bigTag(2_000));
    const pages = allPagesWithin("tag of 2,000", doc, ["big1000", "big0", "big1999"]);
    const nav = sidebar(pages["operation:big1000"] as string);
    expect(count(nav, 'href="/apis/big/operations/big')).toBe(50);
    expect(nav).toContain('href="/apis/big/operations/big1000" aria-current="page"');
    expect(nav).toContain("975 earlier operations: see the tag page");
    expect(nav).toContain("975 more operations: see the tag page");
    expect(sidebar(pages["operation:big0"] as string)).toContain("1,950 more operations");
    expect(sidebar(pages["operation:big1999"] as string)).toContain('aria-current="page"');
    const tag = pages["tag:big"] as string;
    expect(tag).toContain('href="/apis/big/operations/big0"');
    expect(tag).toContain('href="/apis/big/operations/big1999"');
    expect(tag).not.toContain("more operations not listed");
    // The overview: the first 50, then a link to the tag page for the rest.
    expect(pages.overview).toMatch(/<a href="\/apis\/big\/tags\/big"[^>]*>1,950 more operations</);
  });

  it("400 untagged operations (Stripe's shape): the sidebar shows a window, not all 400", async () => {
    const doc = await load(hostile.untagged(400));
    const untaggedOp = [...doc.operations.values()].find((o) => o.operationId === "PostThings200");
    const slug = untaggedOp?.slug ?? "";
    const pages = allPagesWithin("400 untagged", doc, [slug]);
    const page = pages[`operation:${slug}`] as string;
    const nav = sidebar(page);
    expect(count(nav, 'href="/apis/big/operations/')).toBeLessThanOrEqual(51);
    expect(nav).toMatch(/earlier operations: see the tag page/);
    expect(Buffer.byteLength(nav)).toBeLessThan(30 * 1024);
  });

  it("deep and wide schemas: depth, width and alternatives cut with notes", async () => {
    const doc = await load(hostile.deepAndWide());
    const { "operation:shapes": page } = allPagesWithin("deep and wide", doc, ["shapes"]);
    const body = article(page as string);
    expect(body).toContain('sv-name">level_1<');
    expect(body).toContain("Nested fields not shown (too deep).");
    expect(body).toMatch(/The first \d+ of 1000 alternatives: this schema is too large to list in full/);
    // The wide object comes after 1,000 alternatives: counted, not listed.
    expect(body).toMatch(/1 more field is not shown/);
  });

  it("descriptions that expand when rendered (links, code) are charged for what they become", async () => {
    const links = Array.from({ length: 2_000 }, (_, i) => `[l${i}](https://e.example/${i})`).join(" ");
    const text = JSON.stringify({
      openapi: "3.0.3",
      info: { title: "Links", version: "1" },
      paths: {
        "/l": {
          get: {
            operationId: "links",
            parameters: Array.from({ length: 60 }, (_, i) => ({ name: `p${i}`, in: "query", description: links, schema: { type: "string" } })),
            responses: { "200": { description: links } },
          },
        },
      },
    });
    const doc = await load(text);
    allPagesWithin("expanding descriptions", doc, ["links"]);
    expect(markdownCost(links)).toBeGreaterThan(links.length * 3);
  });
});

describe("the budget's estimates err high", { timeout: 180_000 }, () => {
  const leaf = (name: string): Schema => ({
    types: ["string"],
    constraints: [],
    properties: [],
    description: `The ${name}, [linked](https://x.example/${name}) and \`coded\`.`,
  });

  it("an operation's HTML stays within any budget it is given (plus its fixed frame)", async () => {
    const docs = [
      await load(hostile.manyResponses(60)),
      await load(hostile.manyParameters(500)),
      await load(hostile.deepAndWide({ width: 800, depth: 20, variants: 200 })),
      await load(hostile.manyMediaTypes(200, { shared: false })),
      await loadApiDocument({ file: "twilio.json", text: readFileSync("/work/shared/data/openapi/twilio_api_v2010.json", "utf8") }),
    ];
    let checked = 0;
    for (const doc of docs) {
      for (const op of [...doc.operations.values()].slice(0, 60)) {
        for (const limit of [20_000, 100_000]) {
          const html = render(h(OperationView, { operation: op, budget: new PageBudget(limit) }));
          expect(html.length, `${op.slug} in ${limit}`).toBeLessThanOrEqual(limit + 8_000);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("a wide object of described fields fills its budget and says how many were left out", () => {
    const wide: Schema = {
      types: ["object"],
      constraints: [],
      properties: Array.from({ length: 3_000 }, (_, i) => ({ name: `f${i}`, required: false, schema: leaf(`f${i}`) })),
    };
    const op: Operation = {
      slug: "wide",
      kind: "operation",
      method: "post",
      path: "/wide",
      title: "Wide",
      deprecated: false,
      tagSlug: "default",
      tags: [],
      parameters: [],
      requestBody: { required: true, content: [{ contentType: "application/json", schema: wide, examples: [] }] },
      responses: [{ status: "200", headers: [], content: [{ contentType: "application/json", schema: wide, examples: [] }] }],
      security: [],
      apiKeyRequired: false,
      bearerRequired: false,
      servers: [],
    };
    const budget = new PageBudget(60_000);
    const html = render(h(OperationView, { operation: op, budget, specHref: "/apis/big/spec/json" }));
    expect(html.length).toBeLessThanOrEqual(60_000 + 8_000);
    expect(html).toContain('sv-name">f0<');
    expect(html).toMatch(/more fields are not shown: this page is at its size limit/);
    // The note links the complete definition.
    expect(html).toContain('<a href="/apis/big/spec/json"');
    // The response still gets room after the request body.
    const response = html.slice(html.indexOf('id="wide-response-200"'));
    expect(response).toContain('sv-name">f0<');
  });
});

describe("Markdown twins are bounded too", { timeout: 180_000 }, () => {
  const ctx: MarkdownContext = { site: "https://developer.example.com", api: { slug: "big", name: "Big", stage: "prod" }, plans: [] };

  it("cap at the page budget with a note naming the spec, and group media types", async () => {
    for (const [text, slug] of [
      [hostile.manyMediaTypes(2_000), "things"],
      [hostile.manyResponses(500), "answers"],
      [hostile.manyParameters(5_000), "search"],
    ] as const) {
      const doc = await load(text);
      const started = performance.now();
      const md = operationMarkdown(ctx, doc, operation(doc, slug));
      expect(performance.now() - started).toBeLessThan(MAX_MS);
      expect(md.length).toBeLessThanOrEqual(MAX_PAGE_CHARS + 500);
      if (slug === "things") {
        expect(md).toContain("(2000 media types)");
        expect(count(md, "`field_29`")).toBe(2);
      } else {
        expect(md).toContain(TRUNCATED_NOTE);
        expect(md).toContain("The complete definitions are in the OpenAPI spec: https://developer.example.com/apis/big/spec/json");
      }
    }
    const tags = await load(hostile.bigTag(5_000));
    const big = tags.tags.find((t) => t.slug === "big");
    expect(tagMarkdown(ctx, tags, big!).length).toBeLessThanOrEqual(MAX_PAGE_CHARS + 500);
  });
});

// Real specs: the three the outside run found far over budget (gzipped in tests/fixtures/specs),
// and every one in the machine's shared data folder, with those pages named (Kubernetes' create-HPA,
// OpenAI's create-response, Stripe's post-payment-intents) plus each spec's operations with the most
// responses and media types. PORTICO_SPECS_DIR points it at another folder (absolute) to measure more.
const FIXTURES = path.join(import.meta.dirname, "../fixtures/specs");
const DATA = process.env.PORTICO_SPECS_DIR ?? "/work/shared/data/openapi";
const NAMED = [
  "create-autoscaling-v2-namespaced-horizontal-pod-autoscaler",
  "create-autoscaling-v1-namespaced-horizontal-pod-autoscaler",
  "create-core-v1-namespaced-pod",
  "create-response",
  "post-payment-intents",
];
const specFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.(json|ya?ml)(\.gz)?$/.test(f))
        .map((f) => path.join(dir, f))
    : [];
const realSpecs = [...specFiles(FIXTURES), ...specFiles(DATA)];
const readSpec = (file: string) => (file.endsWith(".gz") ? gunzipSync(readFileSync(file)).toString("utf8") : readFileSync(file, "utf8"));

describe("real specs", { timeout: 300_000 }, () => {
  it("has the three named specs to check", () => {
    expect(
      specFiles(FIXTURES)
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(["kubernetes.json.gz", "openai.yaml.gz", "stripe.json.gz"]);
  });

  it.each(realSpecs)("%s: its biggest pages within bounds, identical response schemas once", async (file) => {
    const name = path.basename(file).replace(/\.gz$/, "");
    const doc = await loadApiDocument({ file: name, text: readSpec(file) });
    const weight = (op: Operation) => op.parameters.length + op.responses.reduce((n, r) => n + 1 + r.content.length, 0) + (op.requestBody?.content.length ?? 0);
    const heaviest = [...doc.operations.values()].sort((a, b) => weight(b) - weight(a)).slice(0, 8);
    const named = NAMED.filter((s) => doc.operations.has(s));
    if (/kubernetes|openai|stripe/.test(name)) expect(named.length, `${name} has its named page`).toBeGreaterThan(0);
    const slugs = [...new Set([...named, ...heaviest.map((o) => o.slug)])];
    const pages = allPagesWithin(name, doc, slugs);
    for (const slug of slugs) {
      const op = operation(doc, slug);
      const body = article(pages[`operation:${slug}`] as string);
      // The page still says what matters: its title and every response's status (in full or listed).
      expect(body).toContain(op.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").slice(0, 40));
      for (const r of op.responses.slice(0, 40)) expect(body).toContain(`${slug}-response-${r.status.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`);
    }
  });
});

describe("the sidebar keeps its semantics", { timeout: 180_000 }, () => {
  it("one current page, details for the open tag, plain links for the others", async () => {
    const doc = await load(hostile.bigTag(200));
    const html = operationPage(doc, operation(doc, "big10"));
    const nav = sidebar(html);
    expect(nav).toContain(`aria-label="${API.name} reference"`);
    expect(count(nav, 'aria-current="page"')).toBe(1);
    expect(nav).toMatch(/<details open(="")?><summary[^>]*>Big /);
    expect(nav).toMatch(/<a href="\/apis\/big\/tags\/small"[^>]*>Small /);
  });
});
