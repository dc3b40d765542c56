import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPEN_NEXT_VERSION } from "@/infra/lib/versions";

const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};

describe("toolchain pins", () => {
  it("deploys with the OpenNext that check:infra builds with", () => {
    expect(OPEN_NEXT_VERSION).toMatch(/^4\.\d+\.\d+$/);
    expect(pkg.devDependencies["@opennextjs/aws"]).toBe(OPEN_NEXT_VERSION);
  });

  it("pins SST exactly: its platform types and components change between releases", () => {
    expect(pkg.devDependencies.sst).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
