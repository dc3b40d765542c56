import { randomUUID } from "node:crypto";
import { APIGatewayClient, GetApiKeyCommand } from "@aws-sdk/client-api-gateway";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";
import { sdkConfig } from "../sandbox/harness";
import { callRoute, type Person } from "../teams/support";
import { PRODUCT_CODE } from "./stream";

/**
 * AWS Marketplace purchases made for a team (issue #22), through the real activation route against
 * the sandbox: an owner or admin activates for the team (the buyer's identities, the metered key and
 * the subscription are the team's, so later Marketplace events apply to it), everyone else is refused
 * with the purchase left waiting, and the buyer's own activation works as before. Stubbed: who is
 * signed in, Auth.js, Next's data cache, and the browser's cookie holding the waiting purchase.
 */

vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));
vi.mock("@/lib/auth/caller", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/caller")>();
  const { AppError } = await import("@/lib/errors");
  const { currentCaller } = await import("../teams/support");
  return {
    ...original,
    assertCaller: async () => {
      const caller = currentCaller();
      if (!caller) throw new AppError("unauthorized", "Sign in to continue.");
      return caller;
    },
  };
});
/** The browser's cookie jar, as far as the activation route reads it: the waiting purchase's handle. */
const browser = vi.hoisted(() => ({ handle: undefined as string | undefined }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  cookies: async () => ({
    get: (name: string) => (browser.handle ? { name, value: browser.handle } : undefined),
    delete: () => {
      browser.handle = undefined;
    },
  }),
}));

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Minted = { token: string; customerIdentifier: string; customerAWSAccountId: string };
type Lib = typeof import("@/lib/marketplace") &
  typeof import("@/lib/marketplace/customers") &
  typeof import("@/lib/db/customers") &
  typeof import("@/lib/audit") &
  typeof import("@/lib/access/lock") &
  typeof import("@/lib/db/keys");

describe("AWS Marketplace purchases for a team", () => {
  let env: Env;
  let lib: Lib;
  let gateway: APIGatewayClient;
  let owner: Person;
  let admin: Person;
  let member: Person;
  let viewer: Person;
  let stranger: Person;
  let teamId: string;
  const slug = `buyers-${process.pid}`;
  const call = (user: Person, method: string, url: string, body?: unknown) => callRoute(user, method, url, body);
  const activate = (user: Person, team?: string) =>
    call(user, "POST", team ? `/api/marketplace/activate?team=${encodeURIComponent(team)}` : "/api/marketplace/activate");

  /** Makes `who` a member with `role`, as accepting an invitation does (the invitation flow is tested in tests/teams). */
  async function join(team: string, who: Person, role: "admin" | "member" | "viewer") {
    const { findTeam } = await import("@/lib/teams");
    const { memberRow } = await import("@/lib/teams/teams");
    const { putItem } = await import("@/lib/db/items");
    await putItem(memberRow((await findTeam(team))!, who, role));
    const listed = (await call(who, "GET", "/api/teams")).json.teams as { slug: string; role: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ slug: team, role }));
  }

  async function makeTeam(team: string): Promise<string> {
    const made = await call(owner, "POST", "/api/teams", { name: `Team ${team}`, slug: team });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const listed = (await call(owner, "GET", "/api/teams")).json.teams as { id: string; slug: string }[];
    return listed.find((t) => t.slug === team)!.id;
  }

  /** A buyer who just came back from AWS Marketplace: the purchase waits in "their browser". */
  async function land(): Promise<Minted & { handle: string; identities: string[] }> {
    const response = await fetch(`${env.sandbox.url}/_sandbox/marketplace/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ productCode: PRODUCT_CODE, legacy: true }),
    });
    expect(response.status).toBe(200);
    const minted = (await response.json()) as Minted;
    const handle = await lib.acceptRegistrationToken(minted.token);
    const landing = await lib.readLanding(handle);
    browser.handle = handle;
    return { ...minted, handle, identities: lib.customerKeys(landing!) };
  }

  const bindings = async (identities: string[]) => Promise.all(identities.map(async (key) => (await lib.readCustomer(key))?.userId));
  const pro = () => env.target("pro").planId;
  const accessOf = (id: string) => env.lib.readUserAccess(id);
  const event = (customerIdentifier: string, status: "subscribed" | "unsubscribed") =>
    lib.applyMarketplaceEvent({
      id: randomUUID(),
      at: new Date().toISOString(),
      customerKey: lib.cidKey(customerIdentifier),
      productCode: PRODUCT_CODE,
      status,
    });

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    lib = {
      ...(await import("@/lib/marketplace")),
      ...(await import("@/lib/marketplace/customers")),
      ...(await import("@/lib/db/customers")),
      ...(await import("@/lib/audit")),
      ...(await import("@/lib/access/lock")),
      ...(await import("@/lib/db/keys")),
    };
    gateway = new APIGatewayClient(sdkConfig(env.sandbox));
    const people = await Promise.all(["owner", "admin", "member", "viewer", "stranger"].map((label) => registerUser(env, `mp-team-${label}`)));
    [owner, admin, member, viewer, stranger] = people as [Person, Person, Person, Person, Person];
    teamId = await makeTeam(slug);
    await join(slug, admin, "admin");
    await join(slug, member, "member");
    await join(slug, viewer, "viewer");
  }, 120_000);
  afterAll(() => env?.stop());

  it("refuses a member, a viewer, a stranger and a bad slug, changing nothing; the purchase then activates for the buyer themself as before", async () => {
    const bought = await land();
    const refusals: [Person, string, number][] = [
      [member, slug, 403],
      [viewer, slug, 403],
      [stranger, slug, 404],
      [member, "-not-a-slug", 400],
    ];
    for (const [who, team, status] of refusals) {
      const refused = await activate(who, team);
      expect(refused.status, `${who.email} for ${team}: ${JSON.stringify(refused.json)}`).toBe(status);
      expect(await lib.readLanding(bought.handle)).toBeDefined();
      expect(browser.handle).toBe(bought.handle);
      expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => undefined));
    }
    expect((await activate(viewer, slug)).json).toMatchObject({ error: { message: expect.stringContaining("can't change the team's keys or subscriptions") } });
    expect((await activate(stranger, slug)).json).toMatchObject({ error: { message: `No team "${slug}" that you belong to.` } });
    const team = await accessOf(teamId);
    expect(team.subscriptions).toEqual([]);
    expect(team.keys).toEqual([]);

    // The member's own activation: their identities, their key, their subscription, nothing of the team's.
    const own = await activate(member);
    expect(own.status, JSON.stringify(own.json)).toBe(200);
    expect(own.json).toEqual({ subscription: expect.objectContaining({ planId: pro(), source: "marketplace", state: "awaiting" }) });
    expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => member.id));
    expect(await lib.readLanding(bought.handle)).toBeUndefined();
    expect(browser.handle).toBeUndefined();
    const mine = await accessOf(member.id);
    expect(mine.subscriptions).toEqual([expect.objectContaining({ planId: pro(), source: "marketplace", email: member.email })]);
    const key = mine.keys.find((k) => k.boundPlanId === pro())!;
    const gatewayKey = await gateway.send(new GetApiKeyCommand({ apiKey: key.keyId }));
    expect(gatewayKey).toMatchObject({ name: `Pro Marketplace · ${member.email}`, customerId: bought.customerIdentifier });
    expect(gatewayKey.tags?.["portico:team"]).toBeUndefined();
    expect((await accessOf(teamId)).subscriptions).toEqual([]);
  });

  it("an admin activates for the team: bound to the team, the team's metered key and subscription, which later events confirm and end", async () => {
    const bought = await land();
    const activated = await activate(admin, slug);
    expect(activated.status, JSON.stringify(activated.json)).toBe(200);
    expect(activated.json).toEqual({ team: slug, subscription: expect.objectContaining({ planId: pro(), source: "marketplace", state: "awaiting" }) });
    expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => teamId));
    expect(await lib.readLanding(bought.handle)).toBeUndefined();

    // Everything is the team's: the admin's own partition has nothing.
    const team = await accessOf(teamId);
    expect(team.subscriptions).toEqual([expect.objectContaining({ planId: pro(), source: "marketplace", state: "awaiting", customerKeys: bought.identities })]);
    const key = team.keys.find((k) => k.boundPlanId === pro())!;
    expect(key).toMatchObject({ userId: teamId, name: "Pro Marketplace", customerId: bought.customerIdentifier });
    const gatewayKey = await gateway.send(new GetApiKeyCommand({ apiKey: key.keyId }));
    expect(gatewayKey).toMatchObject({ name: `Pro Marketplace · team ${slug}`, customerId: bought.customerIdentifier, enabled: true });
    expect(gatewayKey.tags).toMatchObject({ "portico:user": teamId, "portico:team": slug, "portico:marketplace-product": PRODUCT_CODE });
    const mine = await accessOf(admin.id);
    expect(mine.subscriptions).toEqual([]);
    expect(mine.keys).toEqual([]);

    // The audit log names the team, and who acted for it.
    const { entries } = await lib.listAudit({ userId: teamId, type: "marketplace" });
    expect(entries).toEqual([
      expect.objectContaining({
        type: "marketplace.activated",
        subject: expect.objectContaining({ userId: teamId, team: slug }),
        actor: expect.objectContaining({ id: admin.id }),
      }),
    ]);

    // The team's members see it where they see the team's access (the team page's sections read these).
    const listed = await call(viewer, "GET", `/api/subscriptions?team=${slug}`);
    expect(listed.json.subscriptions).toEqual([expect.objectContaining({ planId: pro(), source: "marketplace", state: "awaiting" })]);
    const revealed = await call(member, "POST", `/api/keys/${key.keyId}/reveal?team=${slug}`);
    expect(revealed.status, JSON.stringify(revealed.json)).toBe(200);
    const value = revealed.json.value as string;
    expect(await env.callApi("pets", value)).toBe(403);

    // AWS Marketplace confirms: the event applies to the team's subscription, and the key works.
    expect(await event(bought.customerIdentifier, "subscribed")).toBe("applied");
    expect((await accessOf(teamId)).subscriptions).toEqual([expect.objectContaining({ planId: pro(), state: "active" })]);
    expect(await env.callApi("pets", value)).toBe(200);

    // While it runs, its key can't be revoked and the team can't be deleted.
    expect((await call(owner, "DELETE", `/api/keys/${key.keyId}?team=${slug}`)).status).toBe(409);
    const kept = await call(owner, "DELETE", `/api/teams/${slug}`);
    expect(kept.status, JSON.stringify(kept.json)).toBe(409);
    expect((await accessOf(teamId)).subscriptions).toEqual([expect.objectContaining({ state: "active" })]);

    // Cancelled in AWS Marketplace: the team's subscription ends and the key stops.
    expect(await event(bought.customerIdentifier, "unsubscribed")).toBe("applied");
    expect((await accessOf(teamId)).subscriptions).toEqual([expect.objectContaining({ planId: pro(), state: "ended" })]);
    expect(await env.callApi("pets", value)).toBe(403);
    const types = (await lib.listAudit({ userId: teamId, type: "marketplace" })).entries.map((e) => [e.type, e.subject?.team]);
    expect(types).toEqual([
      ["marketplace.ended", slug],
      ["marketplace.active", slug],
      ["marketplace.activated", slug],
    ]);

    // Once ended, the key can go and then the team; the purchase is free to be registered again.
    expect((await call(owner, "DELETE", `/api/keys/${key.keyId}?team=${slug}`)).status).toBe(204);
    expect((await call(owner, "DELETE", `/api/teams/${slug}`)).status).toBe(204);
    expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => undefined));
  });

  it("a team that holds the plan through the portal is refused with words about the team, and the purchase stays free", async () => {
    const other = `buyers-held-${process.pid}`;
    const otherId = await makeTeam(other);
    expect((await call(owner, "POST", `/api/subscriptions?team=${other}`, { product: "pro" })).status).toBe(200);
    const bought = await land();
    const refused = await activate(owner, other);
    expect(refused).toMatchObject({ status: 409, json: { error: { message: expect.stringContaining("The team already has this plan through the portal") } } });
    expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => undefined));
    expect(await lib.readLanding(bought.handle)).toBeDefined();
    expect((await accessOf(otherId)).subscriptions).toEqual([expect.not.objectContaining({ source: "marketplace" })]);
  });

  it("an admin demoted while the activation waits for the team's lease is refused under it, and what it bound is given back", async () => {
    const team = `buyers-race-${process.pid}`;
    const id = await makeTeam(team);
    await join(team, admin, "admin");
    const bought = await land();
    let outcome: Awaited<ReturnType<typeof activate>> | undefined;
    await lib.withUserLock(id, "test-hold", async () => {
      const pending = activate(admin, team).then((result) => (outcome = result));
      // It binds the identities, then waits for the lease this test holds.
      await vi.waitFor(async () => expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => id)), { timeout: 5_000 });
      const { updateItem } = await import("@/lib/db/items");
      await updateItem(lib.memberKey(id, admin.id), { expression: "SET #role = :role", names: { "#role": "role" }, values: { ":role": "member" } });
      void pending;
    });
    await vi.waitFor(() => expect(outcome).toBeDefined(), { timeout: 20_000 });
    expect(outcome!.status, JSON.stringify(outcome!.json)).toBe(403);
    expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => undefined));
    expect(await lib.readLanding(bought.handle)).toBeDefined();
    expect((await accessOf(id)).keys).toEqual([]);

    // The same purchase then activates for the buyer themself.
    const own = await activate(admin);
    expect(own.status, JSON.stringify(own.json)).toBe(200);
    expect(await bindings(bought.identities)).toEqual(bought.identities.map(() => admin.id));
  });
});
