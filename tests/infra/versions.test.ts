import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_RUNTIME, OPEN_NEXT_VERSION } from "@/infra/lib/versions";

const root = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
  engines: { node: string };
};

describe("toolchain pins", () => {
  it("deploys with the OpenNext that check:infra builds with", () => {
    expect(OPEN_NEXT_VERSION).toMatch(/^4\.\d+\.\d+$/);
    expect(pkg.devDependencies["@opennextjs/aws"]).toBe(OPEN_NEXT_VERSION);
  });

  it("pins SST exactly: its platform types and components change between releases", () => {
    expect(pkg.devDependencies.sst).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("develops, tests and deploys on one Node.js major", () => {
    // npm scripts put node_modules/.bin first on the PATH: the pinned `node` package runs them.
    const major = /^(\d+)\.\d+\.\d+$/.exec(pkg.devDependencies.node ?? "")?.[1];
    expect(major, "package.json pins the node package exactly").toBeDefined();
    expect(NODE_RUNTIME).toBe(`nodejs${major}.x`);
    expect(pkg.engines.node).toBe(`>=${major}`);
    // The tests themselves run on it (vitest is started by an npm script).
    if (process.env.npm_lifecycle_event) expect(process.versions.node.split(".")[0]).toBe(major);
  });

  it("every function and the site's server name that runtime", () => {
    for (const file of readdirSync(path.join(root, "infra")).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(path.join(root, "infra", file), "utf8");
      const handlers = source.match(/handler: "functions\//g)?.length ?? 0;
      const pinned = source.match(/runtime: NODE_RUNTIME,\s*\n\s*handler: "functions\//g)?.length ?? 0;
      expect(pinned, file).toBe(handlers);
      if (source.includes('sst.aws.Nextjs("')) expect(source, file).toContain("server: { runtime: NODE_RUNTIME }");
    }
  });
});
