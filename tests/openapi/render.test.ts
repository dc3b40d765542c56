import { h as createElement } from "preact";
import { render as renderToStaticMarkup } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { MethodBadge } from "@/components/docs/method-badge";
import { OperationView } from "@/components/docs/operation-view";
import { SchemaView } from "@/components/docs/schema-view";
import { TagOperationList } from "@/components/docs/tag-operation-list";
import { loadApiDocument, type Schema } from "@/lib/openapi";
import { fixture, op, renderOperation, renderSidebar, source } from "./helpers";

/** Text content, roughly: tags dropped, common entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<\/?(span|code|strong|em|a)\b[^>]*>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Heading levels in document order. */
const headings = (html: string) => [...html.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));

describe("OperationView", () => {
  it("renders every operation of the catalog's samples", async () => {
    for (const file of ["catalog/apis/pets.yaml", "catalog/apis/weather.yaml"]) {
      const doc = await loadApiDocument(source(file));
      for (const operation of doc.operations.values()) {
        const html = renderOperation(operation);
        expect(html).toContain(`id="${operation.slug}"`);
        expect(textOf(html)).toContain(operation.title);
      }
    }
  });

  it("shows method, path, summary, parameters, body, responses, schemas and examples (Swagger 2.0)", async () => {
    const doc = await loadApiDocument(fixture("swagger2.json"));
    const html = renderOperation(op(doc, "get-order"));
    const text = textOf(html);
    expect(html).toMatch(/<h1[^>]*>Find an order by id<\/h1>/);
    expect(text).toContain("GET");
    expect(text).toContain("/orders/{orderId}");
    expect(text).toContain("Base URL: https://store.example.com/v1");
    expect(text).toContain("API key (header x-api-key)");
    expect(text).toContain("API key required");
    // parameters, grouped by location, in tables with row headers
    expect(html).toContain("<caption");
    expect(text).toContain("Path parameters");
    expect(text).toContain("Query parameters");
    expect(html).toMatch(/<th scope="row"[^>]*><code[^>]*>orderId<\/code>/);
    expect(text).toContain("integer<int64>");
    expect(text).toContain("≥ 1");
    expect(text).toContain("Allowed: items customer");
    // response schema fields and the spec's example
    expect(text).toMatch(/status string required/);
    expect(text).toContain("Allowed: placed shipped delivered");
    expect(text).toContain('"status": "shipped"');
    expect(html).toContain(`id="get-order-responses"`);
    expect(html).toContain(`id="get-order-response-200"`);
    expect(text).toContain("404 Not Found");
    expect(headings(html)).toEqual([1, 2, 2, 3, 4, 3]);
    // nested objects fold into <details> (no JS needed)
    expect(html).toMatch(/<details[^>]*><summary[^>]*>Item 2 fields of LineItem<\/summary>/);

    const form = textOf(renderOperation(op(doc, "send-feedback")));
    expect(form).toContain("application/x-www-form-urlencoded");
    expect(form).toContain("message=string&rating=1");
    expect(form).toContain("(generated from the schema)");
    expect(form).toContain("No authentication required.");
  });

  it("OpenAPI 3.1: discriminator, oneOf/anyOf, merged allOf, circular marker, webhooks", async () => {
    const doc = await loadApiDocument(fixture("zoo.yaml"));

    const get = textOf(renderOperation(op(doc, "get-animal")));
    expect(get).toContain("Fetch an animal");
    expect(get).toContain("verbose");
    expect(get).toContain("X-Request-Id");
    expect(get).toContain("string<uuid> | null");
    expect(get).toContain("Discriminator: petType (cat → Cat, dog → Dog)");
    expect(get).toContain("One of:");
    expect(get).toMatch(/barkVolume string required/);
    expect(get).toContain("Allowed: quiet loud deafening");
    expect(get).toContain("Example: A cat");
    expect(get).toContain('"lives": 9');
    expect(get).toContain("X-RateLimit-Remaining");
    expect(get).toContain("Requests left this minute.");
    // markdown in the description
    expect(renderOperation(op(doc, "get-animal"))).toContain("<strong>cat</strong>");

    const add = renderOperation(op(doc, "add-animal"));
    expect(textOf(add)).toContain("Any of:");
    // readOnly `id` is not part of a request
    expect(add.split('id="add-animal-responses"')[0]).not.toMatch(/<code[^>]*>id<\/code>/);
    expect(textOf(add)).toContain("The stored animal, with its new id.");

    const tree = renderOperation(op(doc, "get-tree"));
    expect(textOf(tree)).toContain("↻ circular reference: Node");
    expect(textOf(tree)).toContain("Deprecated");

    const hook = textOf(renderOperation(doc.webhooks[0]!));
    expect(hook).toContain("Webhook");
    expect(hook).toContain("An animal was adopted");
    expect(hook).toContain("Payload");
    expect(hook).toContain("adoptedAt");
    expect(hook).toContain("Discriminator: petType");
  });

  it("headingLevel shifts every heading", async () => {
    const doc = await loadApiDocument(fixture("swagger2.json"));
    const html = renderToStaticMarkup(createElement(OperationView, { operation: op(doc, "get-order"), headingLevel: 2 }));
    expect(headings(html)).toEqual([2, 3, 3, 4, 5, 4]);
  });
});

describe("SchemaView", () => {
  const leaf = (types: string[], extra: Partial<Schema> = {}): Schema => ({ types, constraints: [], properties: [], ...extra });

  it("stops at the depth limit and the field budget", () => {
    let deepest: Schema = leaf(["string"]);
    for (let i = 0; i < 12; i++) deepest = leaf(["object"], { properties: [{ name: `level${11 - i}`, required: false, schema: deepest }] });
    const deep = renderToStaticMarkup(createElement(SchemaView, { schema: deepest, maxDepth: 4 }));
    expect(deep).toContain("level3");
    expect(deep).not.toContain("level4");
    expect(deep).toContain("Nested fields not shown (too deep).");

    const wide = leaf(["object"], { properties: Array.from({ length: 40 }, (_, i) => ({ name: `field${i}`, required: false, schema: leaf(["string"]) })) });
    const html = renderToStaticMarkup(createElement(SchemaView, { schema: wide, maxRows: 10 }));
    expect(html).toContain("field9");
    expect(html).not.toContain("field10");
    expect(textOf(html)).toContain("30 more fields are not shown");
  });

  it("caps long enums", () => {
    const html = renderToStaticMarkup(createElement(SchemaView, { schema: leaf(["string"], { enum: Array.from({ length: 50 }, (_, i) => `v${i}`) }) }));
    expect(textOf(html)).toContain("… and 30 more");
    expect(html).not.toContain("v20<");
  });
});

describe("TagOperationList, DocsSidebar, MethodBadge", () => {
  it("lists a tag's operations as links", async () => {
    const doc = await loadApiDocument(source("catalog/apis/pets.yaml"));
    const html = renderToStaticMarkup(
      createElement(TagOperationList, { operations: doc.tags[0]!.operations, hrefFor: (slug: string) => `/apis/pets/operations/${slug}` }),
    );
    expect(html).toContain('href="/apis/pets/operations/list-pets"');
    expect(textOf(html)).toContain("POST Add a pet /pets");
  });

  it("marks the current operation and keeps big specs small", async () => {
    const doc = await loadApiDocument(fixture("zoo.yaml"));
    const html = renderSidebar(doc, { currentSlug: "get-tree" });
    expect(html).toMatch(/<a href="\/apis\/x\/operations\/get-tree" aria-current="page"/);
    expect(html.match(/ aria-current="page"/g)).toHaveLength(1);
    expect(html).toMatch(/<details open(="")?><summary[^>]*>Trees/);
    // Small spec: every operation is in the HTML.
    expect(html).toContain("/apis/x/operations/get-animal");
    expect(html).toContain("/apis/x/operations/webhook-animal-adopted-post");
  });

  it("colours verbs", () => {
    const html = renderToStaticMarkup(createElement(MethodBadge, { method: "delete" }));
    expect(html).toContain(">DELETE<");
    expect(html).toContain("bg-red-100");
  });
});

describe("OperationView servers", () => {
  it("can show the deployment's base URL instead of the spec's", async () => {
    const doc = await loadApiDocument(fixture("swagger2.json"));
    const html = renderToStaticMarkup(
      createElement(OperationView, { operation: op(doc, "get-order"), servers: [{ url: "https://abc123.execute-api.eu-west-1.amazonaws.com/prod" }] }),
    );
    expect(textOf(html)).toContain("Base URL: https://abc123.execute-api.eu-west-1.amazonaws.com/prod");
    expect(html).not.toContain("store.example.com");
  });
});
