import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";
import { callRoute, type Person } from "./support";

/**
 * Products for partners (issue #22): `visibility: team:<slug>` in a catalog file shows the product
 * to that team's members only — in listings and when subscribing, the team or themselves — and a
 * catalog that names no team reads no memberships. A copy of catalog/ with Pro for team "acme-<pid>".
 */
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));
vi.mock("@/lib/auth/caller", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/caller")>();
  const { AppError } = await import("@/lib/errors");
  const { currentCaller } = await import("./support");
  return {
    ...original,
    assertCaller: async () => {
      const caller = currentCaller();
      if (!caller) throw new AppError("unauthorized", "Sign in to continue.");
      return caller;
    },
  };
});

const slug = `acme-${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), "portico-catalog-"));
cpSync(path.join(process.cwd(), "catalog"), dir, { recursive: true });
const pro = path.join(dir, "products/pro.yaml");
writeFileSync(
  pro,
  readFileSync(pro, "utf8")
    .replace(/^visibility:.*$/m, "")
    .concat(`\nvisibility: team:${slug}\n`),
);
process.env.PORTICO_CATALOG_DIR = dir;

describe("visibility team:<slug>", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let owner: Person;
  let outsider: Person;
  const call = (who: Person, method: string, url: string, body?: unknown) => callRoute(who, method, url, body);

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    [owner, outsider] = (await Promise.all([registerUser(env, "vis-owner"), registerUser(env, "vis-outsider")])) as [Person, Person];
    // The catalog names the slug: only an admin may create that team.
    const refused = await call(owner, "POST", "/api/teams", { name: "Acme", slug });
    expect(refused).toMatchObject({ status: 403, json: { error: { message: expect.stringContaining("reserved") } } });
    expect((await callRoute(owner, "POST", "/api/teams", { name: "Acme", slug }, { admin: true })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.PORTICO_CATALOG_DIR;
  });

  it("members see the team's product and the team subscribes to it; others don't even find it", async () => {
    const { getCatalogFor } = await import("@/lib/catalog/read");
    const viewer = (p: Person) => ({ isAdmin: false, user: { id: p.id, name: null, email: p.email, groups: [] } });
    expect((await getCatalogFor(viewer(owner))).products.map((p) => p.slug)).toContain("pro");
    expect((await getCatalogFor(viewer(outsider))).products.map((p) => p.slug)).not.toContain("pro");
    expect((await call(outsider, "POST", "/api/subscriptions", { product: "pro" })).status).toBe(404);
    // Seeing it as a member doesn't make it theirs: only the team subscribes (any role allowed to).
    expect((await call(owner, "POST", "/api/subscriptions", { product: "pro" })).status).toBe(404);
    const subscribed = await call(owner, "POST", `/api/subscriptions?team=${slug}`, { product: "pro" });
    expect(subscribed.status, JSON.stringify(subscribed.json)).toBe(200);
    expect((await call(owner, "GET", `/api/subscriptions?team=${slug}`)).json.subscriptions).toEqual([expect.objectContaining({ productSlug: "pro" })]);
  });
});
