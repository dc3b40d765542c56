import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SpecError, loadApiDocument, readSpecFile } from "@/lib/openapi";
import { MAX_SPEC_FILES } from "@/lib/openapi/external-refs";

const temp = mkdtempSync(path.join(tmpdir(), "portico-multi-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let count = 0;
/** A fresh catalog folder holding these files (and a file outside it, beside it). */
function catalog(files: Record<string, string | Buffer>): string {
  const root = path.join(temp, String(count++));
  const dir = path.join(root, "catalog");
  for (const [name, body] of Object.entries({ ...files, "../outside.yaml": "Secret: { type: string }\n" })) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

const ROOT = "apis/pets.yaml";
const head = 'openapi: 3.0.3\ninfo: { title: Pets, version: "1" }\n';
/** A root spec whose one response schema is `$ref: <ref>`. */
const refTo = (ref: string) =>
  `${head}paths:\n  /pets:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${ref}'\n`;

async function load(dir: string, file = ROOT) {
  const shown = `catalog/${file}`;
  return loadApiDocument({ file: shown, text: readSpecFile(path.join(dir, file), shown) }, { files: { dir, path: file } });
}

async function failure(dir: string, file = ROOT): Promise<SpecError> {
  const error = await load(dir, file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

describe("a spec split into files inside catalog/", () => {
  it("resolves relative $refs across files and folders, naming the schemas", async () => {
    const dir = catalog({
      [ROOT]: `${head}paths:\n  /pets:\n    $ref: ./paths/pets.yaml\n  /pets/{id}:\n    $ref: "paths/pet.yaml"\ncomponents:\n  schemas:\n    Error:\n      $ref: "../common.yaml#/schemas/Error"\n`,
      "apis/paths/pets.yaml":
        'get:\n  operationId: listPets\n  tags: [pets]\n  responses:\n    "200":\n      description: The pets\n      content:\n        application/json:\n          schema: { type: array, items: { $ref: "../schemas/pet.yaml#/Pet" } }\n    default:\n      $ref: "../../common.yaml#/responses/Problem"\n',
      "apis/paths/pet.yaml":
        'parameters:\n  - { name: id, in: path, required: true, schema: { type: string } }\nget:\n  operationId: getPet\n  responses:\n    "200":\n      description: One pet\n      content:\n        application/json:\n          schema: { $ref: "../schemas/pet.yaml#/Pet" }\n',
      "apis/schemas/pet.yaml":
        "Pet:\n  type: object\n  required: [name]\n  properties:\n    name: { type: string }\n    tag: { $ref: '#/Tag' }\nTag: { type: string, enum: [cat, dog] }\n",
      // Another encoding on the way, and JSON beside YAML.
      "common.yaml": Buffer.from(
        '\uFEFFschemas:\n  Error: { type: object, properties: { message: { type: string, description: "What went wrong — in words" } } }\nresponses:\n  Problem:\n    description: Something went wrong\n    content:\n      application/json:\n        schema: { $ref: "./errors.json#/Error" }\n',
        "utf16le",
      ),
      "errors.json": JSON.stringify({ Error: { type: "object", properties: { code: { type: "integer" } } } }),
    });
    const doc = await load(dir);
    expect([...doc.operations.keys()]).toEqual(["list-pets", "get-pet"]);
    const list = doc.operations.get("list-pets");
    const ok = list?.responses.find((r) => r.status === "200")?.content[0]?.schema;
    expect(ok?.items?.name).toBe("Pet");
    expect(ok?.items?.properties.map((p) => p.name)).toEqual(["name", "tag"]);
    const problem = list?.responses.find((r) => r.status === "default");
    expect(problem?.description).toBe("Something went wrong");
    expect(problem?.content[0]?.schema?.properties.map((p) => p.name)).toEqual(["code"]);
    expect(doc.operations.get("get-pet")?.parameters.map((p) => p.name)).toEqual(["id"]);
  });

  it("Swagger 2.0 too", async () => {
    const dir = catalog({
      "apis/legacy.json": JSON.stringify({
        swagger: "2.0",
        info: { title: "Legacy", version: "1" },
        paths: { "/a": { get: { responses: { "200": { description: "ok", schema: { $ref: "defs.json#/Thing" } } } } } },
      }),
      "apis/defs.json": JSON.stringify({ Thing: { type: "object", properties: { id: { type: "string" } } } }),
    });
    const doc = await load(dir, "apis/legacy.json");
    expect(doc.title).toBe("Legacy");
    expect([...doc.operations.values()][0]?.responses[0]?.content[0]?.schema?.properties.map((p) => p.name)).toEqual(["id"]);
  });

  it.each([
    ["a path out of catalog/", "../../outside.yaml#/Secret", /leads outside catalog\/: a spec may only reference files inside catalog\//],
    ["an absolute path", "/etc/passwd", /is an absolute path: name the file relative to this one, inside catalog\//],
    ["an encoded absolute path", "%2Fetc%2Fpasswd.yaml", /leads outside catalog\//],
    ["a URL", "https://example.com/pet.yaml#/Pet", /is a URL: the portal never fetches one/],
    ["a file URL", "file:///etc/passwd", /is a URL/],
    ["a protocol-relative URL", "//example.com/pet.yaml", /is a URL/],
    ["a missing file", "schemas/nope.yaml#/Pet", /names catalog\/apis\/schemas\/nope\.yaml, which does not exist/],
    ["a file of another kind", "../products/free.md", /must name a \.yaml, \.yml or \.json file/],
    ["a folder", "schemas.yaml", /names catalog\/apis\/schemas\.yaml, which is not a file/],
    ["a pointer to nothing", "../common.yaml#/Nope", /cannot be resolved: nothing in catalog\/common\.yaml is at \/Nope/],
    ["a backslash", "..\\common.yaml", /is not a valid file path: use forward slashes/],
  ])("refuses %s, naming the file, the $ref and the place", async (_name, ref, why) => {
    const dir = catalog({ [ROOT]: refTo(ref), "common.yaml": "Pet: { type: object }\n", "products/free.md": "x", "apis/schemas.yaml/x.yaml": "a: 1\n" });
    const error = await failure(dir);
    expect(error.file).toBe("catalog/apis/pets.yaml");
    expect(error.location).toMatchObject({ pointer: ref, line: 12, path: 'paths["/pets"].get.responses["200"].content["application/json"].schema.$ref' });
    expect(error.message).toContain(
      `catalog/apis/pets.yaml:12:17: paths["/pets"].get.responses["200"].content["application/json"].schema.$ref: $ref "${ref}" `,
    );
    expect(error.message).toMatch(why);
  });

  it("refuses a symbolic link leading out of catalog/", async () => {
    const dir = catalog({ [ROOT]: refTo("./link.yaml#/Secret") });
    symlinkSync(path.join(dir, "../outside.yaml"), path.join(dir, "apis/link.yaml"));
    expect((await failure(dir)).message).toMatch(/\$ref "\.\/link\.yaml#\/Secret" names catalog\/apis\/link\.yaml, a symbolic link leading outside catalog\//);
  });

  it("names the file the bad $ref is in, when it is not the first", async () => {
    const dir = catalog({
      [ROOT]: refTo("schemas/pet.yaml#/Pet"),
      "apis/schemas/pet.yaml":
        "Pet:\n  type: object\n  properties:\n    owner:\n      $ref: '../../../outside.yaml#/Secret'\n    kind:\n      $ref: '#/Kind'\n",
    });
    const error = await failure(dir);
    expect(error.file).toBe("catalog/apis/schemas/pet.yaml");
    expect(error.message).toBe(
      'catalog/apis/schemas/pet.yaml:5:7: Pet.properties.owner.$ref: $ref "../../../outside.yaml#/Secret" leads outside catalog/: a spec may only reference files inside catalog/',
    );
    writeFileSync(path.join(dir, "apis/schemas/pet.yaml"), "Pet:\n  type: object\n  properties:\n    kind:\n      $ref: '#/Kind'\n");
    expect((await failure(dir)).message).toBe(
      'catalog/apis/schemas/pet.yaml:5:7: Pet.properties.kind.$ref: $ref "#/Kind" cannot be resolved: nothing in catalog/apis/schemas/pet.yaml is at /Kind',
    );
  });

  it("a broken referenced file is reported as itself", async () => {
    const dir = catalog({ [ROOT]: refTo("pet.yaml#/Pet"), "apis/pet.yaml": "Pet:\n  type: object\n  type: string\n" });
    expect((await failure(dir)).message).toMatch(/^catalog\/apis\/pet\.yaml:3:3: YAML syntax error: Map keys must be unique/);
  });

  it(`stops at ${MAX_SPEC_FILES} files and at 10 MB in all`, async () => {
    const chain: Record<string, string> = { [ROOT]: refTo("f0.yaml#/S") };
    for (let i = 0; i <= MAX_SPEC_FILES; i++) chain[`apis/f${i}.yaml`] = `S: { type: object, properties: { next: { $ref: "f${i + 1}.yaml#/S" } } }\n`;
    expect((await failure(catalog(chain))).message).toMatch(new RegExp(`is one file too many: a spec may be split into at most ${MAX_SPEC_FILES} files`));

    const padding = (n: number) => JSON.stringify({ S: { type: "object", description: "x".repeat(n), properties: { next: { $ref: "b.json#/S" } } } });
    const big = catalog({ [ROOT]: refTo("a.json#/S"), "apis/a.json": padding(6 * 1024 * 1024), "apis/b.json": padding(6 * 1024 * 1024) });
    const error = await failure(big);
    expect(error.file).toBe("catalog/apis/a.json");
    expect(error.message).toMatch(/\$ref "b\.json#\/S" makes this spec's files larger than 10 MB in all/);
  });

  it("without a catalog folder (an export), a $ref to another file is refused, never read, wherever it is", async () => {
    const text = `${head}paths:\n  /pets:\n    $ref: ./paths/pets.yaml\n`;
    const error = await loadApiDocument({ file: "Pets (prod)", text }).then(
      () => undefined,
      (e: unknown) => e as SpecError,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect(error?.message).toBe(
      'Pets (prod):5:5: paths["/pets"].$ref: $ref "./paths/pets.yaml" points outside this file; external references are not supported for a spec exported from API Gateway (only a spec in catalog/ may be split into files)',
    );
  });
});
