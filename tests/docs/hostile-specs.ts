/**
 * Specs built to be as hard as possible on the docs pages' size: many responses, media types,
 * parameters, tags, operations in one tag, untagged operations, deep and wide schemas. Each is a
 * small JSON text that loads within the spec limits (lib/openapi/parse-text.ts).
 */

type Json = Record<string, unknown>;

function spec(paths: Json, extra: Json = {}): string {
  return JSON.stringify({ openapi: "3.0.3", info: { title: "Hostile", version: "1" }, paths, ...extra });
}

/** A moderately rich object: `width` described fields, one nested object and one array of them. */
function widget(width: number): Json {
  const properties: Json = {};
  for (let i = 0; i < width; i++) properties[`field_${i}`] = { type: "string", description: `What field ${i} is for, in a sentence or two.` };
  properties.nested = { type: "object", properties: { inner_a: { type: "integer" }, inner_b: { type: "boolean" } } };
  properties.list = { type: "array", items: { type: "object", properties: { item_id: { type: "string" } } } };
  return { type: "object", description: "A widget.", required: ["field_0"], properties };
}

/** One operation answering `count` different statuses, each with its own schema and example. */
export function manyResponses(count = 500): string {
  const responses: Json = {};
  const schemas: Json = {};
  for (let i = 0; i < count; i++) {
    const status = String(100 + i);
    schemas[`Answer${i}`] = widget(25);
    responses[status] = {
      description: `Answer number ${i}: what it means and when it is sent.`,
      headers: { "X-Answer": { description: "Which answer.", schema: { type: "string" } } },
      content: { "application/json": { schema: { $ref: `#/components/schemas/Answer${i}` }, example: { field_0: `answer ${i}` } } },
    };
  }
  return spec({ "/answers": { get: { operationId: "answers", summary: "Many answers", responses } } }, { components: { schemas } });
}

/**
 * One response in `count` media types. `shared`: all point at one component schema (what $refs
 * and Swagger 2.0 `produces` give); else each has an inline copy, structurally equal but a
 * different object, with a different example each.
 */
export function manyMediaTypes(count = 2_000, { shared = true } = {}): string {
  const content: Json = {};
  for (let i = 0; i < count; i++) {
    content[`application/x-type-${i}+json`] = shared
      ? { schema: { $ref: "#/components/schemas/Thing" } }
      : { schema: widget(5), example: { field_0: `example for type ${i}` } };
  }
  return spec(
    {
      "/things": {
        post: {
          operationId: "things",
          summary: "Many media types",
          requestBody: { content },
          responses: { "200": { description: "OK", content } },
        },
      },
    },
    { components: { schemas: { Thing: widget(30) } } },
  );
}

/** One operation with `count` described query parameters, some with object schemas. */
export function manyParameters(count = 5_000): string {
  const parameters = Array.from({ length: count }, (_, i) => ({
    name: `param_${i}`,
    in: "query",
    required: i % 7 === 0,
    description: `What parameter ${i} filters by. A longer sentence, as real specs have, describing its values.`,
    schema: i % 50 === 0 ? widget(5) : { type: "string", enum: ["a", "b", "c"] },
  }));
  return spec({ "/search": { get: { operationId: "search", summary: "Many parameters", parameters, responses: { "200": { description: "OK" } } } } });
}

/** `count` tags with one operation each. */
export function manyTags(count = 5_000): string {
  const paths: Json = {};
  const tags = [];
  for (let i = 0; i < count; i++) {
    tags.push({ name: `Tag number ${i}`, description: `Everything about tag ${i}.` });
    paths[`/t${i}`] = { get: { operationId: `op${i}`, summary: `Operation ${i}`, tags: [`Tag number ${i}`], responses: { "200": { description: "OK" } } } };
  }
  return spec(paths, { tags });
}

/** One tag holding `count` operations, next to two small tags. */
export function bigTag(count = 2_000): string {
  const paths: Json = {};
  for (let i = 0; i < count; i++) {
    paths[`/big/${i}`] = { get: { operationId: `big${i}`, summary: `Big operation ${i}`, tags: ["Big"], responses: { "200": { description: "OK" } } } };
  }
  paths["/small/a"] = { get: { operationId: "smallA", summary: "Small A", tags: ["Small"], responses: { "200": { description: "OK" } } } };
  paths["/other/b"] = { get: { operationId: "otherB", summary: "Other B", tags: ["Other"], responses: { "200": { description: "OK" } } } };
  return spec(paths, { tags: [{ name: "Small" }, { name: "Big" }, { name: "Other" }] });
}

/** `count` untagged operations beside one tagged one (Stripe's shape: all in the "default" group). */
export function untagged(count = 400): string {
  const paths: Json = {};
  for (let i = 0; i < count; i++) {
    paths[`/v1/things_${i}`] = { post: { operationId: `PostThings${i}`, summary: `Create thing ${i}`, responses: { "200": { description: "OK" } } } };
  }
  paths["/v1/tagged"] = { get: { operationId: "tagged", summary: "Tagged", tags: ["Tagged"], responses: { "200": { description: "OK" } } } };
  return spec(paths);
}

/**
 * Wide and deep schemas: an object with `width` properties, a chain `depth` levels deep, a oneOf
 * of `variants` objects, and long descriptions everywhere, in the request and five responses.
 */
export function deepAndWide({ width = 5_000, depth = 60, variants = 1_000 } = {}): string {
  const wide: Json = { type: "object", properties: {} };
  for (let i = 0; i < width; i++) (wide.properties as Json)[`w${i}`] = { type: "string", description: `Wide field ${i}. ${"Long words. ".repeat(20)}` };
  let deep: Json = { type: "string" };
  for (let d = 0; d < depth; d++)
    deep = { type: "object", description: `Level ${depth - d}`, properties: { [`level_${depth - d}`]: deep, sibling: { type: "integer" } } };
  const oneOf = Array.from({ length: variants }, (_, i) => ({
    type: "object",
    title: `Variant ${i}`,
    properties: { [`v${i}`]: { type: "string" }, kind: { type: "string" } },
  }));
  const schemas = { Wide: wide, Deep: deep, Choice: { oneOf } };
  const body = {
    type: "object",
    // Deep and choice first: the wide object then runs into the bounds after them.
    properties: { deep: { $ref: "#/components/schemas/Deep" }, choice: { $ref: "#/components/schemas/Choice" }, wide: { $ref: "#/components/schemas/Wide" } },
  };
  const responses: Json = {};
  for (const status of ["200", "201", "400", "404", "500"])
    responses[status] = { description: `Status ${status}`, content: { "application/json": { schema: body } } };
  return spec(
    { "/shapes": { put: { operationId: "shapes", summary: "Deep and wide", requestBody: { content: { "application/json": { schema: body } } }, responses } } },
    { components: { schemas } },
  );
}

/** One operation with `params` required query parameters, each with `values` enum values of `chars` characters. */
export function bigEnums({ params = 100, values = 100, chars = 200 } = {}): string {
  const parameters = Array.from({ length: params }, (_, i) => ({
    name: `q${i}`,
    in: "query",
    required: true,
    schema: { type: "string", enum: Array.from({ length: values }, (_, j) => `v${i}_${j}_`.padEnd(chars, "x")) },
  }));
  return spec({ "/choose": { get: { operationId: "choose", summary: "Big enums", parameters, responses: { "200": { description: "OK" } } } } });
}

/** One operation in a spec with `count` servers of about 200 characters each. */
export function manyServers(count = 5_000): string {
  const servers = Array.from({ length: count }, (_, i) => ({ url: `https://s${i}.example.com/`.padEnd(200, "z") }));
  return spec({ "/ping": { get: { operationId: "ping", summary: "Many servers", responses: { "200": { description: "OK" } } } } }, { servers });
}

/** One POST with `count` required query parameters whose names are `chars` long, and a body whose media type is as long. */
export function longNames({ count = 100, chars = 20_000 } = {}): string {
  const parameters = Array.from({ length: count }, (_, i) => ({ name: `n${i}_`.padEnd(chars, "y"), in: "query", required: true, schema: { type: "string" } }));
  const content = {
    [`application/${"j".repeat(chars)}+json`]: { schema: { type: "object" }, example: { a: 1 } },
    "application/json": { schema: { type: "object" } },
  };
  return spec({
    "/named": { post: { operationId: "named", summary: "Long names", parameters, requestBody: { content }, responses: { "200": { description: "OK" } } } },
  });
}
