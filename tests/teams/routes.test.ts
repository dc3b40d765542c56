import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";
import { callRoute, type Person } from "./support";

/**
 * Teams (issue #22) through the real route handlers, against the sandbox's table and API Gateway:
 * making a team, inviting and joining, the authorization table for every role and for strangers
 * (each refusal a clear 403 or 404 that changes nothing), team-owned keys and subscriptions, audited
 * reveals, and removing someone with the keys they saw rotated. Stubbed: who is signed in, Auth.js
 * and Next's data cache.
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
const call = (user: Person, method: string, url: string, body?: unknown) => callRoute(user, method, url, body);

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

describe("teams", () => {
  let env: Env;
  let owner: Person;
  let admin: Person;
  let member: Person;
  let viewer: Person;
  let stranger: Person;
  const slug = `acme-${process.pid}`;

  /** Invites `who` as `role` and has them accept. */
  async function join(who: Person, role: "admin" | "member" | "viewer", by = owner) {
    const invited = await call(by, "POST", `/api/teams/${slug}/invites`, { email: who.email, role });
    expect(invited.status, JSON.stringify(invited.json)).toBe(201);
    const joined = await call(who, "POST", "/api/teams/join", { token: tokenOf(invited.json.link as string) });
    expect(joined.status, JSON.stringify(joined.json)).toBe(200);
  }

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    const people = await Promise.all(["owner", "admin", "member", "viewer", "stranger"].map((label) => registerUser(env, `team-${label}`)));
    [owner, admin, member, viewer, stranger] = people as [Person, Person, Person, Person, Person];
    const made = await call(owner, "POST", "/api/teams", { name: "Acme Inc.", slug });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    await join(admin, "admin");
    await join(member, "member");
    await join(viewer, "viewer");
  }, 120_000);
  afterAll(() => env?.stop());

  it("refuses bad or taken slugs and names with a 400 or 409, making nothing", async () => {
    const before = (await call(stranger, "GET", "/api/teams")).json.teams;
    for (const body of [
      { name: "x", slug: "-bad" },
      { name: "x", slug: "a".repeat(41) },
      { name: "", slug: "fine" },
      { name: "a\u202eb", slug: "fine2" },
      { slug: "fine3" },
    ])
      expect((await call(stranger, "POST", "/api/teams", body)).status, JSON.stringify(body)).toBe(400);
    const taken = await call(stranger, "POST", "/api/teams", { name: "Other", slug });
    expect(taken).toMatchObject({ status: 409, json: { error: { message: expect.stringContaining("taken") } } });
    expect((await call(stranger, "GET", "/api/teams")).json.teams).toEqual(before);
    expect((await call(owner, "GET", "/api/teams")).json.teams).toEqual([expect.objectContaining({ slug, name: "Acme Inc.", role: "owner" })]);
  });

  it("each role reaches exactly what the table says; strangers get a 404 that names nothing; refusals change nothing", async () => {
    const key = await call(owner, "POST", `/api/keys?team=${slug}`, { name: "shared" });
    expect(key.status, JSON.stringify(key.json)).toBe(201);
    const keyId = (key.json.key as { id: string }).id;
    const keysNow = async () => (await call(owner, "GET", `/api/keys?team=${slug}`)).json.keys;
    const before = await keysNow();

    // What each role may do, written here independently of lib/teams/roles.ts. true: allowed.
    const table: { action: string; run: (who: Person) => Promise<{ status: number }>; allowed: Record<"owner" | "admin" | "member" | "viewer", boolean> }[] = [
      { action: "list keys", run: (who) => call(who, "GET", `/api/keys?team=${slug}`), allowed: { owner: true, admin: true, member: true, viewer: true } },
      { action: "see the team", run: (who) => call(who, "GET", `/api/teams/${slug}`), allowed: { owner: true, admin: true, member: true, viewer: true } },
      {
        action: "list subscriptions",
        run: (who) => call(who, "GET", `/api/subscriptions?team=${slug}`),
        allowed: { owner: true, admin: true, member: true, viewer: true },
      },
      {
        action: "reveal a key",
        run: (who) => call(who, "POST", `/api/keys/${keyId}/reveal?team=${slug}`),
        allowed: { owner: true, admin: true, member: true, viewer: false },
      },
      {
        action: "list invitations",
        run: (who) => call(who, "GET", `/api/teams/${slug}/invites`),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      // Refused changes only (an allowed one would change the state the other rows compare against).
      {
        action: "create a key",
        run: (who) => call(who, "POST", `/api/keys?team=${slug}`, { name: `by-${who.id}` }),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      {
        action: "revoke a key",
        run: (who) => call(who, "DELETE", `/api/keys/${keyId}?team=${slug}`),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      {
        action: "rotate a key",
        run: (who) => call(who, "POST", `/api/keys/${keyId}/rotate?team=${slug}`, { grace: "1h" }),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      {
        action: "rename a key",
        run: (who) => call(who, "PATCH", `/api/keys/${keyId}?team=${slug}`, { name: "renamed" }),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      {
        action: "subscribe",
        run: (who) => call(who, "POST", `/api/subscriptions?team=${slug}`, { product: "free" }),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      {
        action: "unsubscribe",
        run: (who) => call(who, "DELETE", `/api/subscriptions/${env.target("free").planId}?team=${slug}`),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      {
        action: "invite",
        run: (who) => call(who, "POST", `/api/teams/${slug}/invites`, { email: "x@example.com", role: "viewer" }),
        allowed: { owner: true, admin: true, member: false, viewer: false },
      },
      {
        action: "rename the team",
        run: (who) => call(who, "PATCH", `/api/teams/${slug}`, { name: "Renamed" }),
        allowed: { owner: true, admin: false, member: false, viewer: false },
      },
      {
        action: "delete the team",
        run: (who) => call(who, "DELETE", `/api/teams/${slug}`),
        allowed: { owner: true, admin: false, member: false, viewer: false },
      },
      {
        action: "change a role",
        run: (who) => call(who, "PATCH", `/api/teams/${slug}/members/${viewer.id}`, { role: "member" }),
        allowed: { owner: true, admin: false, member: false, viewer: false },
      },
      {
        action: "remove a member",
        run: (who) => call(who, "DELETE", `/api/teams/${slug}/members/${viewer.id}`),
        allowed: { owner: true, admin: false, member: false, viewer: false },
      },
      {
        action: "hand the team over",
        run: (who) => call(who, "POST", `/api/teams/${slug}/transfer`, { userId: who.id }),
        allowed: { owner: true, admin: false, member: false, viewer: false },
      },
    ];
    const people = { owner, admin, member, viewer };
    for (const row of table) {
      for (const [role, who] of Object.entries(people) as [keyof typeof people, Person][]) {
        const changes = !["list keys", "see the team", "list subscriptions", "reveal a key", "list invitations"].includes(row.action);
        if (row.allowed[role] && changes) continue; // allowed changes are exercised in the journeys below
        const { status } = await row.run(who);
        expect(status, `${role}: ${row.action}`).toBe(row.allowed[role] ? 200 : 403);
      }
      const { status } = await row.run(stranger);
      expect(status, `stranger: ${row.action}`).toBe(404);
    }
    // A team that doesn't exist reads the same as one you're not in.
    expect((await call(stranger, "GET", "/api/keys?team=no-such-team")).status).toBe(404);
    expect((await call(stranger, "GET", "/api/keys?team=Not%20A%20Slug")).status).toBe(400);
    expect(await keysNow()).toEqual(before);
    expect((await call(owner, "GET", `/api/teams/${slug}`)).json.members).toHaveLength(4);
  });

  it("a team key is named and tagged after the team, works in the team's plan, and every reveal is audited with who", async () => {
    const sub = await call(admin, "POST", `/api/subscriptions?team=${slug}`, { product: "free" });
    expect(sub.status, JSON.stringify(sub.json)).toBe(200);
    const made = await call(admin, "POST", `/api/keys?team=${slug}`, { name: "prod" });
    const { id } = made.json.key as { id: string };
    const gateway = (await env.lib.listApiKeys()).find((k) => k.id === id)!;
    expect(gateway.name).toBe(`prod · team ${slug}`);
    expect(gateway.tags).toMatchObject({ "portico:team": slug, "portico:key-name": "prod" });
    expect(gateway.tags["portico:user"]).toMatch(/^team_/);
    const revealed = await call(member, "POST", `/api/keys/${id}/reveal?team=${slug}`);
    expect(revealed.status).toBe(200);
    expect(await env.callApi("pets", revealed.json.value as string)).toBe(200);
    // Not the member's own key: their personal list stays empty.
    expect((await call(member, "GET", "/api/keys")).json.keys).toEqual([]);
    const { listAudit } = await import("@/lib/audit");
    const teamId = gateway.tags["portico:user"]!;
    const reveals = (await listAudit({ userId: teamId, type: "key.revealed" })).entries.filter((e) => e.target === id);
    expect(reveals).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: member.id, email: member.email }), subject: expect.objectContaining({ team: slug }) }),
    ]);
    const created = (await listAudit({ userId: teamId, type: "key.created" })).entries.find((e) => e.target === id);
    expect(created?.actor).toMatchObject({ id: admin.id });
  });

  it("removing a member rotates the keys they saw when asked: the old value stops after the grace, the new one works, and they lose access", async () => {
    const leaver = await registerUser(env, "team-leaver");
    await join(leaver, "member", admin);
    const made = await call(owner, "POST", `/api/keys?team=${slug}`, { name: "seen" });
    const { id } = made.json.key as { id: string };
    const unseen = await call(owner, "POST", `/api/keys?team=${slug}`, { name: "unseen" });
    const oldValue = (await call(leaver, "POST", `/api/keys/${id}/reveal?team=${slug}`)).json.value as string;
    const removed = await call(owner, "DELETE", `/api/teams/${slug}/members/${leaver.id}?rotateRevealed=true&grace=none`);
    expect(removed.status, JSON.stringify(removed.json)).toBe(200);
    expect(removed.json.revealed).toEqual([{ keyId: id, rotated: true }]);
    const keys = (await call(owner, "GET", `/api/keys?team=${slug}`)).json.keys as { id: string; name: string; state: string }[];
    expect(keys.find((k) => k.id === id)).toBeUndefined(); // rotated without grace: gone
    expect(keys.filter((k) => k.name === "seen" && k.state === "active")).toHaveLength(1);
    expect(keys.find((k) => k.id === (unseen.json.key as { id: string }).id)?.state).toBe("active"); // not seen: untouched
    expect(await env.callApi("pets", oldValue)).toBe(403);
    expect((await call(leaver, "GET", `/api/keys?team=${slug}`)).status).toBe(404);
    expect((await call(leaver, "GET", "/api/teams")).json.teams).toEqual([]);
  });

  it("invitations: only the invited address can accept, once; resend voids the old link; revoke voids it; members and open invitations can't be invited twice", async () => {
    const invitee = await registerUser(env, "team-invitee");
    const first = await call(admin, "POST", `/api/teams/${slug}/invites`, { email: invitee.email.toUpperCase(), role: "member" });
    expect(first.status).toBe(201);
    expect((await call(admin, "POST", `/api/teams/${slug}/invites`, { email: invitee.email, role: "viewer" })).status).toBe(409);
    expect((await call(admin, "POST", `/api/teams/${slug}/invites`, { email: member.email, role: "viewer" })).status).toBe(409);
    // Admins can't make owners; nobody invites owners.
    expect((await call(admin, "POST", `/api/teams/${slug}/invites`, { email: "boss@example.com", role: "owner" })).status).toBe(400);
    const inviteId = (first.json.invite as { id: string }).id;
    const resent = await call(admin, "POST", `/api/teams/${slug}/invites/${inviteId}/resend`);
    expect(resent.status).toBe(200);
    expect((await call(invitee, "POST", "/api/teams/join", { token: tokenOf(first.json.link as string) })).status).toBe(404);
    const wrongPerson = await call(stranger, "POST", "/api/teams/join", { token: tokenOf(resent.json.link as string) });
    expect(wrongPerson).toMatchObject({ status: 403, json: { error: { message: expect.stringContaining(invitee.email) } } });
    const tampered = tokenOf(resent.json.link as string).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await call(invitee, "POST", "/api/teams/join", { token: tampered })).status).toBe(404);
    expect((await call(invitee, "POST", "/api/teams/join", { token: "not-a-token" })).status).toBe(400);
    expect((await call(invitee, "POST", "/api/teams/join", { token: tokenOf(resent.json.link as string) })).status).toBe(200);
    expect((await call(invitee, "POST", "/api/teams/join", { token: tokenOf(resent.json.link as string) })).status).toBe(404);
    expect((await call(invitee, "GET", "/api/teams")).json.teams).toEqual([expect.objectContaining({ slug, role: "member" })]);

    const other = await call(owner, "POST", `/api/teams/${slug}/invites`, { email: "someone@example.com", role: "viewer" });
    expect((await call(owner, "DELETE", `/api/teams/${slug}/invites/${(other.json.invite as { id: string }).id}`)).status).toBe(204);
    expect((await call(owner, "GET", `/api/teams/${slug}/invites`)).json.invites).toEqual([]);
  });

  it("a team always has an owner: the last one can't leave, be removed or step down; handing over works", async () => {
    expect((await call(owner, "POST", `/api/teams/${slug}/leave`)).status).toBe(409);
    expect((await call(owner, "PATCH", `/api/teams/${slug}/members/${owner.id}`, { role: "admin" })).status).toBe(409);
    expect((await call(owner, "DELETE", `/api/teams/${slug}/members/${owner.id}`)).status).toBe(409);
    expect((await call(owner, "POST", `/api/teams/${slug}/transfer`, { userId: admin.id })).status).toBe(204);
    const roles = Object.fromEntries(
      ((await call(admin, "GET", `/api/teams/${slug}`)).json.members as { userId: string; role: string }[]).map((m) => [m.userId, m.role]),
    );
    expect(roles[admin.id]).toBe("owner");
    expect(roles[owner.id]).toBe("admin");
    // The former owner is an admin now: owner-only actions are refused.
    expect((await call(owner, "PATCH", `/api/teams/${slug}`, { name: "Mine" })).status).toBe(403);
    expect((await call(viewer, "POST", `/api/teams/${slug}/leave`)).status).toBe(200);
    expect((await call(viewer, "GET", `/api/teams/${slug}`)).status).toBe(404);
  });

  it("a team is deleted only once its keys and subscriptions are gone; then nothing of it is left, and its slug stays taken", async () => {
    const team = await call(stranger, "POST", "/api/teams", { name: "Short-lived", slug: `short-${process.pid}` });
    expect(team.status).toBe(201);
    const key = await call(stranger, "POST", `/api/keys?team=short-${process.pid}`, { name: "k" });
    expect((await call(stranger, "DELETE", `/api/teams/short-${process.pid}`)).status).toBe(409);
    expect((await call(stranger, "DELETE", `/api/keys/${(key.json.key as { id: string }).id}?team=short-${process.pid}`)).status).toBe(204);
    expect((await call(stranger, "DELETE", `/api/teams/short-${process.pid}`)).status).toBe(204);
    expect((await call(stranger, "GET", "/api/teams")).json.teams).toEqual([]);
    const { teamViolations } = await import("@/lib/teams");
    const { accessViolations, readGatewayState } = await import("@/lib/access/invariants");
    const teamId = (team.json.team as { id: string }).id;
    expect([...(await teamViolations(teamId)), ...(await accessViolations(teamId, await readGatewayState()))]).toEqual([]);
    // Its slug stays taken: whatever was shown to team:<slug> never reaches whoever asks for the name next.
    expect((await call(owner, "POST", "/api/teams", { name: "Reborn", slug: `short-${process.pid}` })).status).toBe(409);
  });

  it("deleting your account needs the teams you alone own handed over first; then you leave every team", async () => {
    const founder = await registerUser(env, "team-founder");
    const partner = await registerUser(env, "team-partner");
    const solo = `solo-${process.pid}`;
    expect((await call(founder, "POST", "/api/teams", { name: "Solo", slug: solo })).status).toBe(201);
    const invited = await call(founder, "POST", `/api/teams/${solo}/invites`, { email: partner.email, role: "admin" });
    expect((await call(partner, "POST", "/api/teams/join", { token: tokenOf(invited.json.link as string) })).status).toBe(200);
    const refused = await call(founder, "DELETE", "/api/account", { confirm: founder.email });
    expect(refused).toMatchObject({ status: 409, json: { error: { message: expect.stringContaining("Solo") } } });
    expect((await call(founder, "GET", "/api/teams")).json.teams).toHaveLength(1); // nothing changed
    expect((await call(founder, "PATCH", `/api/teams/${solo}/members/${partner.id}`, { role: "owner" })).status).toBe(200);
    expect((await call(founder, "DELETE", "/api/account", { confirm: founder.email })).status).toBe(204);
    const members = (await call(partner, "GET", `/api/teams/${solo}`)).json.members as { userId: string }[];
    expect(members.map((m) => m.userId)).toEqual([partner.id]);
  });

  it("a team's request for an approval-only plan waits in the admins' queue under the team's name, and approving it grants the team", async () => {
    const requester = await registerUser(env, "team-requester");
    const teamSlug = `approvals-${process.pid}`;
    const made = await call(requester, "POST", "/api/teams", { name: "Approvals", slug: teamSlug });
    const teamId = (made.json.team as { id: string }).id;
    const asked = await call(requester, "POST", `/api/subscriptions?team=${teamSlug}`, { product: "weather-basic" });
    expect(asked.json.subscription).toMatchObject({ state: "pending" });
    const target = env.target("weather-basic");
    const queued = (await env.lib.listPendingSubscriptions()).filter((p) => p.userId === teamId);
    expect(queued).toEqual([expect.objectContaining({ planId: target.planId, team: teamSlug })]);
    await env.lib.decideSubscription(teamId, target.planId, "approve", target);
    const key = await call(requester, "POST", `/api/keys?team=${teamSlug}`, { name: "weather" });
    expect(await env.callApi("weather", key.json.value as string)).toBe(200);
    expect((await call(requester, "GET", "/api/subscriptions")).json.subscriptions).toEqual([]); // the person's own: none
  });
});
