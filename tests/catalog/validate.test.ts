import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

/** Runs the build-time catalog check in a fresh process against a catalog folder. */
async function validate(dir: string) {
  return run(process.execPath, ["--import", "tsx", "-e", "import('./lib/catalog/validate.ts').then(m => m.validateCatalog()).then(r => console.log(JSON.stringify(r)))"], {
    cwd: root,
    env: { ...process.env, PORTICO_CATALOG_DIR: dir },
  });
}

describe("the build-time catalog check (next.config.ts)", () => {
  it("passes on the shipped catalog", async () => {
    const { stdout } = await validate(path.join(root, "catalog"));
    expect(JSON.parse(stdout)).toEqual({ products: 3, guides: 2, specs: 1 });
  });

  it("fails on a broken spec, naming the file and the location", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portico-catalog-"));
    try {
      cpSync(path.join(root, "catalog"), dir, { recursive: true });
      writeFileSync(path.join(dir, "apis/pets.yaml"), "openapi: 3.0.3\ninfo:\n  title: Pets\n  version: '1'\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Nope'\n");
      await expect(validate(dir)).rejects.toMatchObject({ stderr: expect.stringMatching(/catalog\/apis\/pets\.yaml:\d+:\d+: .*#\/components\/responses\/Nope/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails on a product file with a bad field, naming both", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portico-catalog-"));
    try {
      cpSync(path.join(root, "catalog"), dir, { recursive: true });
      writeFileSync(path.join(dir, "products/free.yaml"), "name: Free\nusagePlan: Free\nvisibility: everyone\n");
      await expect(validate(dir)).rejects.toMatchObject({ stderr: expect.stringContaining("catalog/products/free.yaml is invalid") });
      await expect(validate(dir)).rejects.toMatchObject({ stderr: expect.stringContaining("visibility: must be public, signed-in, group:<name> or team:<slug>") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("passes on a spec split into files inside catalog/, in UTF-16 and with a UTF-8 byte-order mark", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portico-catalog-"));
    try {
      cpSync(path.join(root, "catalog"), dir, { recursive: true });
      const pets = readFileSync(path.join(dir, "apis/pets.yaml"), "utf8");
      // The first schema moves to its own file; the spec keeps a $ref to it.
      const split = pets.replace(/^(  schemas:\n)/m, "$1    Moved:\n      $ref: ./schemas/moved.yaml#/Moved\n");
      expect(split).not.toBe(pets);
      mkdirSync(path.join(dir, "apis/schemas"));
      writeFileSync(path.join(dir, "apis/schemas/moved.yaml"), "\uFEFFMoved:\n  type: object\n  properties:\n    id: { type: string }\n");
      writeFileSync(path.join(dir, "apis/pets.yaml"), Buffer.from(`\uFEFF${split}`, "utf16le"));
      const { stdout } = await validate(dir);
      expect(JSON.parse(stdout)).toEqual({ products: 3, guides: 2, specs: 1 });

      writeFileSync(path.join(dir, "apis/schemas/moved.yaml"), "Moved:\n  $ref: ../../../etc/passwd.yaml\n");
      await expect(validate(dir)).rejects.toMatchObject({
        stderr: expect.stringContaining('catalog/apis/schemas/moved.yaml:2:3: Moved.$ref: $ref "../../../etc/passwd.yaml" leads outside catalog/'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails on a spec that is not UTF-8, saying so", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portico-catalog-"));
    try {
      cpSync(path.join(root, "catalog"), dir, { recursive: true });
      writeFileSync(path.join(dir, "apis/pets.yaml"), Buffer.from("openapi: 3.0.3\ninfo:\n  title: Caf\u00e9\n", "latin1"));
      await expect(validate(dir)).rejects.toMatchObject({ stderr: expect.stringContaining("catalog/apis/pets.yaml:3:13: the file is not UTF-8: byte 0xE9") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
