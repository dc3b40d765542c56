import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { SpecError, loadApiDocument, toDownloadableSpec, toTryItOperation } from "@/lib/openapi";
import { fixture, op, source } from "./helpers";

describe("toDownloadableSpec", () => {
  it("gives the spec as JSON or YAML, as written, without API Gateway's private extensions", () => {
    const text = `openapi: 3.0.3
info: { title: T, version: "1" }
x-amazon-apigateway-api-key-source: HEADER
paths:
  /a:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, uri: "arn:aws:lambda:eu-west-1:123456789012:function:secret" }
      x-custom: kept
      responses: { "200": { description: ok } }
`;
    const json = toDownloadableSpec({ file: "catalog/apis/thing.yaml", text }, "json");
    expect(json).toMatchObject({ filename: "thing.json", contentType: "application/json; charset=utf-8" });
    expect(json.body).not.toContain("x-amazon-apigateway");
    expect(json.body).not.toContain("123456789012");
    expect(JSON.parse(json.body)).toMatchObject({ openapi: "3.0.3", paths: { "/a": { get: { "x-custom": "kept" } } } });

    const yaml = toDownloadableSpec(source("catalog/apis/pets.yaml"), "yaml");
    expect(yaml).toMatchObject({ filename: "pets.yaml", contentType: "application/yaml; charset=utf-8" });
    expect(parseYaml(yaml.body)).toEqual(parseYaml(source("catalog/apis/pets.yaml").text));
  });

  it("keeps Swagger 2.0 as Swagger", () => {
    const yaml = toDownloadableSpec(fixture("swagger2.json"), "yaml");
    expect(parseYaml(yaml.body)).toMatchObject({ swagger: "2.0", definitions: { Order: {} } });
  });

  it("refuses a broken file with a SpecError", () => {
    expect(() => toDownloadableSpec({ file: "x.yaml", text: "a: [" }, "json")).toThrow(SpecError);
  });
});

describe("toTryItOperation", () => {
  it("is plain JSON a client component can take", async () => {
    const doc = await loadApiDocument(source("catalog/apis/pets.yaml"));
    const tryIt = toTryItOperation(op(doc, "list-pets"));
    expect(JSON.parse(JSON.stringify(tryIt))).toEqual(tryIt);
    expect(tryIt).toEqual({
      slug: "list-pets",
      method: "GET",
      path: "/pets",
      servers: [],
      apiKeyRequired: true,
      parameters: [
        { name: "limit", in: "query", required: false, description: "How many pets to return (at most 100).", type: "integer", example: "20" },
        { name: "type", in: "query", required: false, type: "string", enum: ["dog", "cat", "bird"], example: "dog" },
      ],
      bodies: [],
    });
    const create = toTryItOperation(op(doc, "create-pet"));
    expect(create.bodies).toEqual([
      { contentType: "application/json", required: true, example: expect.stringContaining('"name": "Rex"'), generated: true, schema: true },
    ]);
  });
});
