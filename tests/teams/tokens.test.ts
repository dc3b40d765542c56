import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";
import { callRoute, type Person } from "./support";

/**
 * A team's portal tokens and its keys in try-it and MCP (issue #22), through the real route
 * handlers against the sandbox: a token acts as the member who made it, within their role at the
 * time of each request (made only with scopes the role allows; narrowed when the role is; revoked
 * when they leave), on the team's keys, plans and usage, and a team key calls APIs as the team.
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

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Json = Record<string, unknown>;
const call = (user: Person, method: string, url: string, body?: unknown) => callRoute(user, method, url, body);
const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

const V1: [RegExp, string][] = [
  [/^\/me$/, "@/app/api/v1/me/route"],
  [/^\/keys$/, "@/app/api/v1/keys/route"],
  [/^\/keys\/(?<keyId>[^/]+)$/, "@/app/api/v1/keys/[keyId]/route"],
  [/^\/keys\/(?<keyId>[^/]+)\/reveal$/, "@/app/api/v1/keys/[keyId]/reveal/route"],
  [/^\/subscriptions$/, "@/app/api/v1/subscriptions/route"],
  [/^\/usage$/, "@/app/api/v1/usage/route"],
  [/^\/products$/, "@/app/api/v1/products/route"],
];

let ip = 0;
/** `METHOD /api/v1<path>` with a bearer token, through its route handler. */
async function v1(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const [pathname] = path.split("?") as [string];
  const found = V1.map(([pattern, file]) => [pattern.exec(pathname), file] as const).find(([m]) => m);
  if (!found) throw new Error(`no v1 route for ${path}`);
  const handler = ((await import(/* @vite-ignore */ found[1])) as Record<string, (r: NextRequest, c: { params: Promise<Json> }) => Promise<Response>>)[method]!;
  ip += 1;
  const request = new NextRequest(`http://localhost:3000/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "x-forwarded-for": `10.40.${ip >> 8}.${ip & 255}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const response = await handler(request, { params: Promise.resolve({ ...found[0]!.groups }) });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Json) : {} };
}

describe("a team's portal tokens", () => {
  let env: Env;
  let owner: Person;
  let admin: Person;
  let member: Person;
  let viewer: Person;
  let stranger: Person;
  let teamKeyId: string;
  let ownKeyId: string;
  let listAudit: typeof import("@/lib/audit").listAudit;
  let readReveals: typeof import("@/lib/teams").readReveals;
  let findTeam: typeof import("@/lib/teams").findTeam;
  const slug = `tokens-${process.pid}`;

  async function join(who: Person, role: "admin" | "member" | "viewer") {
    const invited = await call(owner, "POST", `/api/teams/${slug}/invites`, { email: who.email, role });
    expect(invited.status, JSON.stringify(invited.json)).toBe(201);
    const joined = await call(who, "POST", "/api/teams/join", { token: tokenOf(invited.json.link as string) });
    expect(joined.status, JSON.stringify(joined.json)).toBe(200);
  }

  /** Makes a team token as `who` with `scopes`; the answer as the route gave it. */
  const makeToken = (who: Person, scopes: string[], name = `agent of ${who.id.slice(0, 6)}`) =>
    call(who, "POST", `/api/tokens?team=${slug}`, { name, scopes, expiresInDays: 7 });
  const teamTokens = async () => ((await call(owner, "GET", `/api/tokens?team=${slug}`)).json.tokens as { id: string; createdBy?: { id: string } }[]) ?? [];

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    ({ listAudit } = await import("@/lib/audit"));
    ({ readReveals, findTeam } = await import("@/lib/teams"));
    const people = await Promise.all(["owner", "admin", "member", "viewer", "stranger"].map((label) => registerUser(env, `tok-${label}`)));
    [owner, admin, member, viewer, stranger] = people as [Person, Person, Person, Person, Person];
    expect((await call(owner, "POST", "/api/teams", { name: "Token Co", slug })).status).toBe(201);
    for (const [who, role] of [
      [admin, "admin"],
      [member, "member"],
      [viewer, "viewer"],
    ] as const)
      await join(who, role);
    expect((await call(owner, "POST", `/api/subscriptions?team=${slug}`, { product: "free" })).status).toBe(200);
    const key = await call(owner, "POST", `/api/keys?team=${slug}`, { name: "team prod" });
    teamKeyId = (key.json.key as { id: string }).id;
    // The member's own key, which team tokens must never see.
    await env.lib.subscribe(member, env.target("free"));
    ownKeyId = (await env.lib.createKey(member, "member's own")).key.id;
  }, 120_000);
  afterAll(() => env?.stop());

  it("is made only with the scopes the maker's role allows; strangers and refusals make nothing", async () => {
    const before = await teamTokens();
    const refusals: [Person, string[], number][] = [
      [viewer, ["call"], 403],
      [viewer, ["manage"], 403],
      [member, ["manage"], 403],
      [member, ["read", "manage", "call"], 403],
      [stranger, ["read"], 404],
    ];
    for (const [who, scopes, status] of refusals) {
      const refused = await makeToken(who, scopes);
      expect(refused.status, `${who.email} ${scopes.join("+")}: ${JSON.stringify(refused.json)}`).toBe(status);
    }
    expect((await makeToken(viewer, ["manage"])).json).toMatchObject({ error: { message: expect.stringContaining("As a viewer of Token Co") } });
    expect(await teamTokens()).toEqual(before);

    for (const [who, scopes] of [
      [viewer, ["read"]],
      [member, ["call"]],
      [admin, ["manage", "call"]],
    ] as const) {
      const made = await makeToken(who, [...scopes]);
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      expect(made.json.token).toMatchObject({ createdBy: { id: who.id, email: who.email }, scopes: [...new Set(["read", ...scopes])] });
    }
    // Nobody outside sees the team's tokens; the person's own list doesn't hold them.
    expect((await call(stranger, "GET", `/api/tokens?team=${slug}`)).status).toBe(404);
    expect(((await call(admin, "GET", "/api/tokens")).json.tokens as unknown[]).length).toBe(0);
  });

  it("acts on the team's keys, plans and usage, never the maker's own", async () => {
    const value = (await makeToken(member, ["call"], "reader")).json.value as string;
    const me = await v1(value, "GET", "/me");
    expect(me.status, JSON.stringify(me.json)).toBe(200);
    expect(me.json).toMatchObject({ user: { id: member.id }, team: { slug, name: "Token Co", role: "member" } });
    const keys = ((await v1(value, "GET", "/keys")).json.keys as { id: string }[]).map((k) => k.id);
    expect(keys).toContain(teamKeyId);
    expect(keys).not.toContain(ownKeyId);
    const subscriptions = (await v1(value, "GET", "/subscriptions")).json.subscriptions as { productSlug: string }[];
    expect(subscriptions.map((s) => s.productSlug)).toEqual(["free"]);
    const planId = (subscriptions[0] as unknown as { planId: string }).planId;
    const usage = await v1(value, "GET", `/usage?plan=${planId}&days=7`);
    expect(usage.status).toBe(200);
    expect((usage.json.keys as { keyId: string }[]).map((k) => k.keyId)).toContain(teamKeyId);
  });

  it("never does more than its maker's role allows now: a demotion narrows it at once, a promotion is needed again", async () => {
    const value = (await makeToken(admin, ["manage"], "manager")).json.value as string;
    const made = await v1(value, "POST", "/keys", { name: "by token" });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const madeId = (made.json.key as { id: string }).id;
    expect(((await call(owner, "GET", `/api/keys?team=${slug}`)).json.keys as { id: string }[]).map((k) => k.id)).toContain(madeId);
    // Created with a token, shown to its maker: recorded as seen by them.
    expect((await readReveals((await findTeam(slug))!.id)).some((r) => r.keyId === madeId && r.userId === admin.id)).toBe(true);

    expect((await call(owner, "PATCH", `/api/teams/${slug}/members/${admin.id}`, { role: "member" })).status).toBe(200);
    const keysBefore = (await call(owner, "GET", `/api/keys?team=${slug}`)).json.keys;
    const refused = await v1(value, "POST", "/keys", { name: "after demotion" });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { message: expect.stringContaining("As a member of Token Co") } });
    expect((await v1(value, "DELETE", `/keys/${madeId}`)).status).toBe(403);
    expect((await call(owner, "GET", `/api/keys?team=${slug}`)).json.keys).toEqual(keysBefore);
    // Reading is still within a member's role.
    expect((await v1(value, "GET", "/keys")).status).toBe(200);
    expect((await call(owner, "PATCH", `/api/teams/${slug}/members/${admin.id}`, { role: "admin" })).status).toBe(200);
    expect((await v1(value, "DELETE", `/keys/${madeId}`)).status).toBe(204);
  });

  it("audits a token's reveal of a team key with who, and remembers it for rotation", async () => {
    const value = (await makeToken(owner, ["manage"], "revealer")).json.value as string;
    const revealed = await v1(value, "POST", `/keys/${teamKeyId}/reveal`);
    expect(revealed.status, JSON.stringify(revealed.json)).toBe(200);
    expect(typeof revealed.json.value).toBe("string");
    const team = (await findTeam(slug))!;
    expect((await readReveals(team.id)).some((r) => r.keyId === teamKeyId && r.userId === owner.id)).toBe(true);
    const entries = (await listAudit({ userId: team.id, limit: 50 })).entries;
    expect(entries.find((e) => e.type === "key.revealed" && e.target === teamKeyId)).toMatchObject({ actor: { id: owner.id } });
  });

  it("is revoked by its maker or by those who manage the team's access, not by other members", async () => {
    const first = await makeToken(member, ["read"], "member token");
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const mine = first.json.token as { id: string };
    const admins = (await makeToken(admin, ["read"], "admin token")).json.token as { id: string };
    const refused = await call(member, "DELETE", `/api/tokens/${admins.id}?team=${slug}`);
    expect(refused.status).toBe(403);
    expect((await teamTokens()).map((t) => t.id)).toContain(admins.id);
    expect((await call(member, "DELETE", `/api/tokens/${mine.id}?team=${slug}`)).status).toBe(204);
    expect((await call(admin, "DELETE", `/api/tokens/${admins.id}?team=${slug}`)).status).toBe(204);
    // A team's token isn't the person's: the personal route doesn't find it.
    const another = (await makeToken(admin, ["read"], "not personal")).json.token as { id: string };
    expect((await call(admin, "DELETE", `/api/tokens/${another.id}`)).status).toBe(404);
    expect((await call(owner, "DELETE", `/api/tokens/${another.id}?team=${slug}`)).status).toBe(204);
  });

  it("dies with its maker's membership: removal revokes their tokens and leaves the others'", async () => {
    const leaver = await registerUser(env, "tok-leaver");
    await join(leaver, "member");
    const theirs = (await makeToken(leaver, ["call"], "leaver token")).json.value as string;
    const others = (await makeToken(member, ["read"], "stays")).json.value as string;
    expect((await v1(theirs, "GET", "/keys")).status).toBe(200);
    const removed = await call(owner, "DELETE", `/api/teams/${slug}/members/${leaver.id}?rotateRevealed=false&grace=none`);
    expect(removed.status, JSON.stringify(removed.json)).toBe(200);
    expect(removed.json.revokedTokens).toBe(1);
    expect((await v1(theirs, "GET", "/keys")).status).toBe(401);
    expect((await teamTokens()).some((t) => t.createdBy?.id === leaver.id)).toBe(false);
    expect((await v1(others, "GET", "/keys")).status).toBe(200);
  });

  it("can't be made for a team an administrator disabled; existing ones may only read", async () => {
    const value = (await makeToken(admin, ["manage"], "before disable")).json.value as string;
    const team = (await findTeam(slug))!;
    const root = await registerUser(env, "tok-root");
    const asAdmin = (body: unknown) => callRoute(root, "POST", `/api/admin/teams/${team.id}`, body, { admin: true });
    expect((await asAdmin({ action: "disable" })).status).toBe(200);
    try {
      const before = await teamTokens();
      expect((await makeToken(admin, ["read"], "while disabled")).status).toBe(403);
      expect(await teamTokens()).toEqual(before);
      expect((await v1(value, "GET", "/keys")).status).toBe(200);
      expect((await v1(value, "POST", "/keys", { name: "while disabled" })).status).toBe(403);
    } finally {
      expect((await asAdmin({ action: "enable" })).status).toBe(200);
    }
  });

  it("goes when an administrator revokes the maker's tokens, with their own", async () => {
    const maker = await registerUser(env, "tok-revoked");
    await join(maker, "member");
    const value = (await makeToken(maker, ["call"], "to be revoked")).json.value as string;
    expect((await v1(value, "GET", "/keys")).status).toBe(200);
    const root = await registerUser(env, "tok-root2");
    const revoked = await callRoute(root, "DELETE", `/api/admin/users/${maker.id}/tokens`, undefined, { admin: true });
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    expect(revoked.json.revoked).toBe(1);
    expect((await v1(value, "GET", "/keys")).status).toBe(401);
    expect((await teamTokens()).some((t) => t.createdBy?.id === maker.id)).toBe(false);
  });

  it("shows where others' tokens were last used only to those who manage the team's access", async () => {
    const value = (await makeToken(admin, ["read"], "used somewhere")).json.value as string;
    expect((await v1(value, "GET", "/keys")).status).toBe(200);
    const seenBy = async (who: Person) =>
      ((await call(who, "GET", `/api/tokens?team=${slug}`)).json.tokens as { name: string; lastUsedIp?: string }[]).find((t) => t.name === "used somewhere");
    expect((await seenBy(owner))?.lastUsedIp).toMatch(/^10\.40\./);
    expect(await seenBy(viewer)).toBeDefined();
    expect((await seenBy(viewer))?.lastUsedIp).toBeUndefined();
  });

  it("calls an API with a team key from try-it, as the team, for those who may use its keys", async () => {
    const operation = { api: "pets", operation: "list-pets", query: { limit: "1" } };
    const sent = await call(member, "POST", "/api/try", { ...operation, keyId: teamKeyId, team: slug });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    expect(sent.json).toMatchObject({ status: 200, request: { keyId: teamKeyId } });
    // Without naming the team, the key isn't theirs; a viewer may not use the team's keys; a stranger doesn't see the team.
    expect((await call(member, "POST", "/api/try", { ...operation, keyId: teamKeyId })).status).toBe(404);
    expect((await call(viewer, "POST", "/api/try", { ...operation, keyId: teamKeyId, team: slug })).status).toBe(403);
    expect((await call(stranger, "POST", "/api/try", { ...operation, keyId: teamKeyId, team: slug })).status).toBe(404);
    const team = (await findTeam(slug))!;
    const called = (await listAudit({ userId: team.id, limit: 50 })).entries.find((e) => e.type === "api.called");
    expect(called).toMatchObject({ subject: { userId: team.id, team: slug }, actor: { id: member.id } });
  });

  it("lists the team keys a person may use for the docs' key picker, and no others", async () => {
    const listed = async (who: Person) =>
      (await call(who, "GET", "/api/keys?include=teams")).json as { keys: { id: string }[]; teams?: { slug: string; keys: { id: string }[] }[] };
    const forMember = await listed(member);
    expect(forMember.keys.map((k) => k.id)).toContain(ownKeyId);
    expect(forMember.teams?.find((t) => t.slug === slug)?.keys.map((k) => k.id)).toContain(teamKeyId);
    expect((await listed(viewer)).teams ?? []).toEqual([]);
    expect((await listed(stranger)).teams ?? []).toEqual([]);
  });

  it("works in MCP: a team token lists the team's keys and calls with one; a demoted maker's call is refused", async () => {
    const route = await import("@/app/mcp/route");
    const value = (await makeToken(member, ["call"], "mcp agent")).json.value as string;
    const transport = new StreamableHTTPClientTransport(new URL("http://localhost:3000/mcp"), {
      fetch: async (url, init) => {
        const headers = new Headers(init?.headers);
        headers.set("x-forwarded-for", "198.51.100.77");
        headers.set("authorization", `Bearer ${value}`);
        const request = new NextRequest(url.toString(), { ...init, headers } as ConstructorParameters<typeof NextRequest>[1]);
        return (init?.method ?? "GET").toUpperCase() === "POST" ? route.POST(request, { params: Promise.resolve({}) }) : route.GET();
      },
    });
    const client = new Client({ name: "team-test", version: "1.0.0" });
    await client.connect(transport);
    const tool = async (name: string, args: Json = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
    const keys = (await tool("list_my_keys")).structuredContent as { keys: { id: string }[] };
    expect(keys.keys.map((k) => k.id)).toContain(teamKeyId);
    expect(keys.keys.map((k) => k.id)).not.toContain(ownKeyId);
    const called = await tool("call_operation", { api: "pets", operation: "list-pets", keyId: teamKeyId, query: { limit: "1" } });
    expect(called.isError, JSON.stringify(called.structuredContent)).toBeFalsy();
    expect(called.structuredContent).toMatchObject({ status: 200, request: { keyId: teamKeyId } });

    expect((await call(owner, "PATCH", `/api/teams/${slug}/members/${member.id}`, { role: "viewer" })).status).toBe(200);
    const refused = await tool("call_operation", { api: "pets", operation: "list-pets", keyId: teamKeyId });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain("As a viewer of Token Co");
    expect((await tool("list_my_keys")).isError).toBeFalsy();
    expect((await call(owner, "PATCH", `/api/teams/${slug}/members/${member.id}`, { role: "member" })).status).toBe(200);
    await client.close();
  });
});
