import { describe, expect, it } from "vitest";
import { loadApiDocument, type Schema } from "@/lib/openapi";
import { fixture, op, source } from "./helpers";

describe("loadApiDocument: the catalog's samples", () => {
  it("OpenAPI 3.0 (pets.yaml): tags, slugs, merged allOf, examples, API keys", async () => {
    const doc = await loadApiDocument(source("catalog/apis/pets.yaml"));
    expect(doc).toMatchObject({ title: "Pets API", version: "1.2.0", openapiVersion: "3.0.3" });
    expect(doc.tags.map((t) => [t.slug, t.name, t.operations.map((o) => o.slug)])).toEqual([
      ["pets", "pets", ["list-pets", "create-pet", "get-pet"]],
      ["other", "Other", ["health"]],
    ]);
    const create = op(doc, "create-pet");
    expect(create).toMatchObject({ method: "post", path: "/pets", title: "Add a pet", tagSlug: "pets", apiKeyRequired: true });
    expect(create.security).toEqual([[{ scheme: "api_key", scopes: [], type: "apiKey", label: "API key (header x-api-key)" }]]);
    expect(op(doc, "health")).toMatchObject({ apiKeyRequired: false, security: [], tagSlug: "other" });

    // Pet is allOf [NewPet, {id}]: shown as one object with all four fields.
    const pet = create.responses.find((r) => r.status === "201")?.content[0]?.schema as Schema;
    expect(pet.name).toBe("Pet");
    expect(pet.mergedFrom).toEqual(["NewPet"]);
    expect(pet.properties.map((p) => [p.name, p.required])).toEqual([
      ["name", true],
      ["type", true],
      ["tags", false],
      ["id", true],
    ]);
    // The spec's own example wins; without one, a generated example.
    const list = op(doc, "list-pets");
    expect(JSON.parse(list.responses[0]?.content[0]?.examples[0]?.text ?? "")).toHaveLength(2);
    expect(list.responses[0]?.content[0]?.examples[0]?.generated).toBeUndefined();
    const generated = create.requestBody?.content[0]?.examples[0];
    expect(generated?.generated).toBe(true);
    expect(JSON.parse(generated?.text ?? "")).toMatchObject({ name: "Rex", type: "dog" });
    expect(op(doc, "get-pet").responses[0]?.content[0]?.examples[0]).toMatchObject({ name: "rex", summary: "A dog" });
    expect(list.parameters.map((p) => [p.name, p.in, p.required, p.schema?.default])).toEqual([
      ["limit", "query", false, 20],
      ["type", "query", false, undefined],
    ]);
  });

  it("OpenAPI 3.1 (weather.yaml): no tags means one 'Operations' group", async () => {
    const doc = await loadApiDocument(source("catalog/apis/weather.yaml"));
    expect(doc.openapiVersion).toBe("3.1.0");
    expect(doc.tags).toHaveLength(1);
    expect(doc.tags[0]).toMatchObject({ slug: "operations", name: "Operations" });
    const current = op(doc, "get-current");
    expect(current.parameters[0]?.example).toEqual({ text: "Lisbon" });
    expect(JSON.parse(current.responses[0]?.content[0]?.examples[0]?.text ?? "")).toMatchObject({ city: "Lisbon", temperatureC: 21.5 });
  });
});

describe("loadApiDocument: Swagger 2.0", () => {
  it("converts to OpenAPI 3 and keeps what the docs need", async () => {
    const doc = await loadApiDocument(fixture("swagger2.json"));
    expect(doc).toMatchObject({ title: "Store API", openapiVersion: "2.0", servers: [{ url: "https://store.example.com/v1" }] });
    const get = op(doc, "get-order");
    expect(get.apiKeyRequired).toBe(true);
    expect(get.parameters.map((p) => [p.name, p.in, p.schema?.types])).toEqual([
      ["orderId", "path", ["integer"]],
      ["expand", "query", ["array"]],
    ]);
    expect(get.parameters[1]?.schema?.items?.enum).toEqual(["items", "customer"]);
    const ok = get.responses.find((r) => r.status === "200");
    expect(ok?.content[0]?.schema?.name).toBe("Order");
    expect(JSON.parse(ok?.content[0]?.examples[0]?.text ?? "")).toMatchObject({ id: 7, status: "shipped" });
    // body parameter → request body; formData → urlencoded body with a form example.
    expect(op(doc, "place-order").requestBody).toMatchObject({ required: true, content: [{ contentType: "application/json" }] });
    const feedback = op(doc, "send-feedback");
    expect(feedback.apiKeyRequired).toBe(false);
    const form = feedback.requestBody?.content[0];
    expect(form?.contentType).toBe("application/x-www-form-urlencoded");
    expect(form?.schema?.properties.map((p) => [p.name, p.required])).toEqual([
      ["message", true],
      ["rating", false],
    ]);
    expect(form?.examples[0]?.text).toMatch(/^message=string&rating=1$/);
  });
});

describe("loadApiDocument: OpenAPI 3.1 features (zoo.yaml)", () => {
  it("servers, tags, webhooks, untagged operations", async () => {
    const doc = await loadApiDocument(fixture("zoo.yaml"));
    expect(doc.servers).toEqual([{ url: "https://eu.zoo.example/v1", description: "Production" }]);
    expect(doc.tags.map((t) => [t.slug, t.operations.length])).toEqual([
      ["animals", 2],
      ["trees", 1],
      ["other", 1],
      ["webhooks", 1],
    ]);
    expect(doc.tags[0]?.description).toBe("Everything that moves.");
    expect(doc.webhooks).toHaveLength(1);
    expect(doc.webhooks[0]).toMatchObject({ kind: "webhook", slug: "webhook-animal-adopted-post", method: "post", path: "animalAdopted", tagSlug: "webhooks" });
    expect(doc.operations.get("webhook-animal-adopted-post")).toBe(doc.webhooks[0]);
    expect(op(doc, "get-health")).toMatchObject({ title: "Health check", tagSlug: "other", apiKeyRequired: false });
    expect(op(doc, "get-tree")).toMatchObject({ deprecated: true, tagSlug: "trees" });
  });

  it("path-level parameters, 3.1 nullable types and $ref siblings", async () => {
    const doc = await loadApiDocument(fixture("zoo.yaml"));
    const get = op(doc, "get-animal");
    expect(get.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:animalId", "query:verbose", "header:X-Request-Id"]);
    expect(get.parameters[0]?.example?.text).toBe("ani_42");
    expect(get.parameters[2]?.schema?.types).toEqual(["string", "null"]);
    const created = op(doc, "add-animal").responses[0]?.content[0]?.schema;
    expect(created?.description).toBe("The stored animal, with its new id.");
    expect(get.responses[0]?.headers).toMatchObject([{ name: "X-RateLimit-Remaining", description: "Requests left this minute." }]);
  });

  it("oneOf with a discriminator, allOf merged per variant, anyOf", async () => {
    const doc = await loadApiDocument(fixture("zoo.yaml"));
    const animal = op(doc, "get-animal").responses[0]?.content[0]?.schema as Schema;
    expect(animal.name).toBe("Animal");
    expect(animal.discriminator).toEqual({
      propertyName: "petType",
      mapping: [
        { value: "cat", target: "Cat" },
        { value: "dog", target: "Dog" },
      ],
    });
    expect(animal.oneOf?.map((s) => s.name)).toEqual(["Cat", "Dog"]);
    const dog = animal.oneOf?.[1] as Schema;
    expect(dog.properties.map((p) => [p.name, p.required])).toEqual([
      ["id", true],
      ["name", true],
      ["petType", true],
      ["barkVolume", true],
    ]);
    expect(dog.properties[1]?.schema.constraints).toEqual(["at least 1 characters", "at most 50 characters"]);
    const body = op(doc, "add-animal").requestBody?.content[0]?.schema;
    expect(body?.anyOf?.map((s) => s.name)).toEqual(["Cat", "Dog"]);
    // Shared components stay one object.
    expect(body?.anyOf?.[0]).toBe(animal.oneOf?.[0]);
  });

  it("a circular schema becomes a cycle, not an endless tree", async () => {
    const doc = await loadApiDocument(fixture("zoo.yaml"));
    const node = op(doc, "get-tree").responses[0]?.content[0]?.schema as Schema;
    expect(node.name).toBe("Node");
    const children = node.properties.find((p) => p.name === "children")?.schema;
    expect(children?.items).toBe(node);
    // The generated example stops at the cycle.
    expect(JSON.parse(op(doc, "get-tree").responses[0]?.content[0]?.examples[0]?.text ?? "")).toMatchObject({ value: "string" });
  });
});

describe("slugs", () => {
  it("are unique, URL-safe and stable across loads", async () => {
    const text = `openapi: 3.0.3
info: { title: Slugs, version: "1" }
paths:
  /a-b: { get: { responses: { "200": { description: ok } } } }
  /a_b: { get: { responses: { "200": { description: ok } } } }
  /c:
    get: { operationId: "Fetch Ünïcode / thing", responses: { "200": { description: ok } } }
    post: { operationId: fetch-unicode-thing, responses: { "200": { description: ok } } }
    put: { operationId: constructor, responses: { "200": { description: ok } } }
`;
    const slugs = async () => [...(await loadApiDocument({ file: "slugs.yaml", text })).operations.keys()];
    const first = await slugs();
    // Methods are visited get, put, post…: the later duplicate gets the suffix.
    expect(first).toEqual(["get-a-b", "get-a-b-2", "fetch-unicode-thing", "constructor", "fetch-unicode-thing-2"]);
    expect((await loadApiDocument({ file: "slugs.yaml", text })).operations.get("constructor")?.method).toBe("put");
    expect(await slugs()).toEqual(first);
    for (const slug of first) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
