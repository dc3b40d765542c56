import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The lock file is what `npm ci` (in .ci/run) installs: it must name every direct dependency at a
 * version package.json allows, or a fresh install differs from the one tested.
 */
const root = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  lockfileVersion: number;
  packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
};

describe("package-lock.json", () => {
  it("records package.json's direct dependencies as they are written", () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    expect(lock.packages[""]?.dependencies ?? {}).toEqual(pkg.dependencies);
    expect(lock.packages[""]?.devDependencies ?? {}).toEqual(pkg.devDependencies);
  });

  it("locks a version of every direct dependency", () => {
    const missing = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !lock.packages[`node_modules/${name}`]?.version);
    expect(missing).toEqual([]);
  });
});
