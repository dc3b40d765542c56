import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
      await expect(validate(dir)).rejects.toMatchObject({ stderr: expect.stringContaining("visibility: must be public, signed-in or group:<name>") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
