import { describe, expect, it } from "vitest";
import { SpecError, loadApiDocument } from "@/lib/openapi";
import { fixture } from "./helpers";

async function failure(file: string, text: string): Promise<SpecError> {
  const error = await loadApiDocument({ file, text }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

const minimal = (paths: string) => `openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths:\n${paths}`;

describe("broken specs fail with the file and the place", () => {
  it("YAML syntax error: line and column", async () => {
    const { file, text } = fixture("broken-syntax.yaml");
    const error = await failure(file, text);
    expect(error.file).toBe("tests/fixtures/openapi/broken-syntax.yaml");
    expect(error.location).toMatchObject({ line: 11 });
    expect(error.message).toMatch(/^tests\/fixtures\/openapi\/broken-syntax\.yaml:11:\d+: YAML syntax error: /);
  });

  it("JSON syntax error: line and column", async () => {
    const error = await failure("api.json", '{\n  "openapi": "3.0.3",\n  "info": { "title": "T", },\n}');
    expect(error.location).toMatchObject({ line: 3 });
    expect(error.message).toMatch(/^api\.json:3:\d+: JSON syntax error: /);
  });

  it("unresolvable $ref: the pointer, and where it is used", async () => {
    const { file, text } = fixture("broken-ref.yaml");
    const error = await failure(file, text);
    expect(error.location).toMatchObject({
      pointer: "#/components/schemas/Missing",
      path: 'paths["/pets"].get.responses["200"].content["application/json"].schema.$ref',
      line: 14,
    });
    expect(error.message).toBe(
      'tests/fixtures/openapi/broken-ref.yaml:14:17: paths["/pets"].get.responses["200"].content["application/json"].schema.$ref: $ref "#/components/schemas/Missing" cannot be resolved: nothing in this file is at that pointer',
    );
  });

  it("invalid structure: the offending field's path", async () => {
    const { file, text } = fixture("broken-structure.yaml");
    const error = await failure(file, text);
    expect(error.location).toMatchObject({ path: 'paths["/pets"].get.parameters[0].in', line: 10 });
    expect(error.message).toMatch(
      /broken-structure\.yaml:10:\d+: paths\["\/pets"\]\.get\.parameters\[0\]\.in: must be one of "path", "query", "header", "cookie"$/,
    );
  });

  it.each([
    [
      "a response without description",
      minimal('  /a:\n    get:\n      responses:\n        "200": {}\n'),
      'paths["/a"].get.responses["200"]',
      /the required field "description" is missing/,
    ],
    ["an unknown field", minimal("  /a:\n    get:\n      responsez: {}\n"), 'paths["/a"].get.responsez', /is not allowed here/],
    ["a path not starting with /", minimal("  a:\n    get:\n      responses: {}\n"), "paths.a", /is not allowed here/],
  ])("%s", async (_name, text, path, problem) => {
    const error = await failure("api.yaml", text);
    expect(error.location.path).toBe(path);
    expect(error.message).toMatch(problem);
  });

  it("Swagger 2.0 errors point into the Swagger file", async () => {
    const text = JSON.stringify(
      {
        swagger: "2.0",
        info: { title: "T", version: "1" },
        paths: { "/a": { get: { responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Nope" } } } } } },
      },
      null,
      2,
    );
    const error = await failure("legacy.json", text);
    expect(error.location).toMatchObject({ pointer: "#/definitions/Nope", path: 'paths["/a"].get.responses["200"].schema.$ref' });
    expect(error.location.line).toBeGreaterThan(1);
  });

  it.each([
    ["no version", "info: { title: T, version: '1' }\npaths: {}\n", /expected an "openapi: 3.x" or "swagger: 2.0" field/],
    ["an unquoted number", "openapi: 3.0\ninfo: { title: T, version: '1' }\npaths: {}\n", /api\.yaml:1:1: openapi: must be a string/],
    ["an unsupported version", "openapi: 4.0.0\ninfo: { title: T, version: '1' }\npaths: {}\n", /openapi: version 4\.0\.0 is not supported/],
    ["not an object", "- just\n- a list\n", /expected an OpenAPI or Swagger object/],
    ["a duplicate key", "openapi: 3.0.3\nopenapi: 3.0.3\n", /api\.yaml:2:1: YAML syntax error: Map keys must be unique/],
  ])("%s", async (_name, text, message) => {
    expect((await failure("api.yaml", text)).message).toMatch(message);
  });

  it("never reads files or URLs named by an external $ref", async () => {
    for (const ref of ["/etc/passwd", "https://example.com/schema.json", "other.yaml#/Pet"]) {
      const text = minimal(
        `  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: "${ref}" }\n`,
      );
      const error = await failure("api.yaml", text);
      expect(error.location).toMatchObject({ pointer: ref, line: 11, path: 'paths["/a"].get.responses["200"].content["application/json"].schema.$ref' });
      expect(error.message).toMatch(/points outside this file; external references are not supported/);
    }
  });
});
