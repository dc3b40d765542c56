import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";
import { callRoute, type Person } from "./support";

/**
 * What an administrator can do to a team (issue #22), through the real route handlers against the
 * sandbox's table and API Gateway: disabling (its keys off in API Gateway, every change its members
 * ask for refused) and enabling again, making someone an owner (a member, or anyone by email), and
 * deleting it with everything it holds. Non-admins get 403 and bad input 400, and neither changes
 * anything. Stubbed: who is signed in (with the admin check kept), Auth.js and Next's data cache.
 */

vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));
vi.mock("@/lib/auth/caller", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/caller")>();
  const { AppError } = await import("@/lib/errors");
  const { currentCaller } = await import("./support");
  return {
    ...original,
    assertCaller: async (role: "user" | "admin") => {
      const caller = currentCaller();
      if (!caller) throw new AppError("unauthorized", "Sign in to continue.");
      if (role === "admin" && !caller.isAdmin) throw new AppError("forbidden", "This needs an administrator.");
      return caller;
    },
  };
});

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
const call = (user: Person, method: string, url: string, body?: unknown) => callRoute(user, method, url, body);
const asAdmin = (admin: Person, method: string, url: string, body?: unknown) => callRoute(admin, method, url, body, { admin: true });
const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;
const DISABLED = /This team has been disabled by an administrator/;

describe("admin actions on teams", () => {
  let env: Env;
  let admin: Person;
  let owner: Person;
  let member: Person;
  let outsider: Person;
  const slug = `adm-acme-${process.pid}`;
  let teamId: string;
  let keyId: string;
  let keyValue: string;

  async function join(team: string, by: Person, who: Person, role: "admin" | "member" | "viewer") {
    const invited = await call(by, "POST", `/api/teams/${team}/invites`, { email: who.email, role });
    expect(invited.status, JSON.stringify(invited.json)).toBe(201);
    const joined = await call(who, "POST", "/api/teams/join", { token: tokenOf(invited.json.link as string) });
    expect(joined.status, JSON.stringify(joined.json)).toBe(200);
  }

  const gatewayKey = async (id: string) => (await env.lib.listApiKeys()).find((k) => k.id === id);
  const violations = async (id: string, people: string[] = []) => {
    const { teamViolations } = await import("@/lib/teams");
    const { accessViolations, readGatewayState } = await import("@/lib/access/invariants");
    return [...(await teamViolations(id, people)), ...(await accessViolations(id, await readGatewayState()))];
  };
  const auditOf = async (id: string, type: string) => {
    const { listAudit } = await import("@/lib/audit");
    return (await listAudit({ userId: id, type })).entries;
  };
  /** What an admin sees of the team: status, members and roles, keys (with their state in API Gateway). */
  const snapshot = async () => {
    const seen = await asAdmin(admin, "GET", `/api/admin/teams/${teamId}`);
    expect(seen.status, JSON.stringify(seen.json)).toBe(200);
    const keys = seen.json.keys as { id: string; state: string }[];
    return {
      team: seen.json.team,
      members: seen.json.members,
      keys,
      enabled: await Promise.all(keys.map(async (k) => (await gatewayKey(k.id))?.enabled)),
      subscriptions: seen.json.subscriptions,
    };
  };

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    [admin, owner, member, outsider] = (await Promise.all(["admin", "owner", "member", "outsider"].map((l) => registerUser(env, `adm-team-${l}`)))) as [
      Person,
      Person,
      Person,
      Person,
    ];
    const made = await call(owner, "POST", "/api/teams", { name: "Acme Admin Co.", slug });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    teamId = (made.json.team as { id: string }).id;
    await join(slug, owner, member, "member");
    expect((await call(owner, "POST", `/api/subscriptions?team=${slug}`, { product: "free" })).status).toBe(200);
    const key = await call(owner, "POST", `/api/keys?team=${slug}`, { name: "shared" });
    expect(key.status, JSON.stringify(key.json)).toBe(201);
    keyId = (key.json.key as { id: string }).id;
    keyValue = key.json.value as string;
    expect(await env.callApi("pets", keyValue)).toBe(200);
  }, 120_000);
  afterAll(() => env?.stop());

  it("non-admins get 403 from every admin team route, members and owners included, and nothing changes", async () => {
    const before = await snapshot();
    for (const who of [owner, member, outsider]) {
      for (const [method, url, body] of [
        ["GET", `/api/admin/teams/${teamId}`, undefined],
        ["POST", `/api/admin/teams/${teamId}`, { action: "disable" }],
        ["DELETE", `/api/admin/teams/${teamId}`, { confirm: slug }],
        ["POST", `/api/admin/teams/${teamId}/owners`, { email: outsider.email }],
        ["POST", `/api/admin/teams/${slug}/owners`, { userId: who.id }],
      ] as const) {
        const answer = await call(who, method, url, body);
        expect(answer, `${method} ${url}`).toMatchObject({ status: 403, json: { error: { code: "forbidden", message: "This needs an administrator." } } });
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(await env.callApi("pets", keyValue)).toBe(200);
  });

  it("bad input gets a 400 (an unknown team a 404), and nothing changes", async () => {
    const before = await snapshot();
    const cases: [string, string, unknown, number][] = [
      ["POST", `/api/admin/teams/${teamId}`, { action: "explode" }, 400],
      ["POST", `/api/admin/teams/${teamId}`, {}, 400],
      ["POST", `/api/admin/teams/${teamId}`, "disable", 400],
      ["POST", "/api/admin/teams/Not%20A%20Team", { action: "disable" }, 400],
      ["POST", "/api/admin/teams/-bad-", { action: "disable" }, 400],
      ["POST", `/api/admin/teams/team_${"0".repeat(20)}`, { action: "disable" }, 404],
      ["POST", "/api/admin/teams/no-such-team-here", { action: "disable" }, 404],
      ["DELETE", `/api/admin/teams/${teamId}`, { confirm: "" }, 400],
      ["DELETE", `/api/admin/teams/${teamId}`, { confirm: `${slug}-not` }, 400],
      ["DELETE", `/api/admin/teams/${teamId}`, { confirm: teamId }, 400],
      ["DELETE", `/api/admin/teams/${teamId}`, {}, 400],
      ["POST", `/api/admin/teams/${teamId}/owners`, {}, 400],
      ["POST", `/api/admin/teams/${teamId}/owners`, { email: "not-an-email" }, 400],
      ["POST", `/api/admin/teams/${teamId}/owners`, { userId: "bad id!" }, 400],
      ["POST", `/api/admin/teams/${teamId}/owners`, { userId: member.id, email: member.email }, 400],
      ["POST", `/api/admin/teams/${teamId}/owners`, { email: "nobody-registered@example.com" }, 404],
      ["POST", `/api/admin/teams/${teamId}/owners`, { userId: "no-such-person" }, 404],
      // A team is not a person: it can't own a team.
      ["POST", `/api/admin/teams/${teamId}/owners`, { userId: teamId }, 404],
      ["POST", `/api/admin/teams/${teamId}/owners`, { userId: owner.id }, 409],
    ];
    for (const [method, url, body, status] of cases) {
      const answer = await asAdmin(admin, method, url, body);
      expect(answer.status, `${method} ${url} ${JSON.stringify(body)}: ${JSON.stringify(answer.json)}`).toBe(status);
      expect((answer.json.error as { message: string }).message.length).toBeGreaterThan(0);
    }
    const wrongSlug = await asAdmin(admin, "DELETE", `/api/admin/teams/${teamId}`, { confirm: "nope" });
    expect((wrongSlug.json.error as { message: string }).message).toContain(slug);
    expect(await snapshot()).toEqual(before);
  });

  it("disabling turns the team's keys off in API Gateway and refuses every change its members ask for; they can still look; enabling restores", async () => {
    const disabled = await asAdmin(admin, "POST", `/api/admin/teams/${slug}`, { action: "disable" });
    expect(disabled, JSON.stringify(disabled.json)).toMatchObject({ status: 200, json: { team: { id: teamId, status: "disabled", disabled: true } } });
    expect((await gatewayKey(keyId))?.enabled).toBe(false);
    expect(await env.callApi("pets", keyValue)).toBe(403);
    expect(await violations(teamId)).toEqual([]);

    // Members can look…
    const seen = await call(member, "GET", `/api/teams/${slug}`);
    expect(seen).toMatchObject({ status: 200, json: { team: { slug, disabled: true } } });
    expect((await call(owner, "GET", `/api/keys?team=${slug}`)).status).toBe(200);
    // …and change nothing: each refusal a 403 that says why.
    const before = await snapshot();
    for (const [who, method, url, body] of [
      [owner, "POST", `/api/keys?team=${slug}`, { name: "another" }],
      [owner, "DELETE", `/api/keys/${keyId}?team=${slug}`, undefined],
      [owner, "POST", `/api/keys/${keyId}/rotate?team=${slug}`, { grace: "1h" }],
      [owner, "PATCH", `/api/keys/${keyId}?team=${slug}`, { name: "renamed" }],
      [member, "POST", `/api/keys/${keyId}/reveal?team=${slug}`, undefined],
      [owner, "POST", `/api/subscriptions?team=${slug}`, { product: "weather-basic" }],
      [owner, "DELETE", `/api/subscriptions/${env.target("free").planId}?team=${slug}`, undefined],
      [owner, "PATCH", `/api/teams/${slug}`, { name: "Renamed" }],
      [owner, "POST", `/api/teams/${slug}/invites`, { email: "new@example.com", role: "member" }],
      [owner, "PATCH", `/api/teams/${slug}/members/${member.id}`, { role: "admin" }],
      [owner, "DELETE", `/api/teams/${slug}/members/${member.id}`, undefined],
      [owner, "POST", `/api/teams/${slug}/transfer`, { userId: member.id }],
      [owner, "DELETE", `/api/teams/${slug}`, undefined],
    ] as const) {
      const answer = await call(who, method, url, body);
      expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.json)}`).toBe(403);
      expect((answer.json.error as { message: string }).message).toMatch(DISABLED);
    }
    expect(await snapshot()).toEqual(before);
    const entry = (await auditOf(teamId, "team.disabled"))[0];
    expect(entry).toMatchObject({
      actor: { kind: "admin", id: admin.id, email: admin.email },
      subject: { userId: teamId, team: slug },
      before: { status: "active" },
      after: { status: "disabled", keys: 1 },
    });
    // Disabling again changes nothing more (and records nothing more).
    expect((await asAdmin(admin, "POST", `/api/admin/teams/${teamId}`, { action: "disable" })).status).toBe(200);
    expect(await auditOf(teamId, "team.disabled")).toHaveLength(1);

    const enabled = await asAdmin(admin, "POST", `/api/admin/teams/${teamId}`, { action: "enable" });
    expect(enabled).toMatchObject({ status: 200, json: { team: { status: "active" } } });
    expect((enabled.json.team as Record<string, unknown>).disabled).toBeUndefined();
    expect((await gatewayKey(keyId))?.enabled).toBe(true);
    expect(await env.callApi("pets", keyValue)).toBe(200);
    expect((await call(owner, "PATCH", `/api/keys/${keyId}?team=${slug}`, { name: "shared again" })).status).toBe(200);
    expect((await call(member, "GET", `/api/teams/${slug}`)).json.team).not.toHaveProperty("disabled");
    expect((await auditOf(teamId, "team.enabled"))[0]).toMatchObject({ actor: { id: admin.id }, subject: { team: slug }, after: { status: "active" } });
    expect(await violations(teamId)).toEqual([]);
  });

  it("an invitation to a disabled team can't be accepted; leaving it still works", async () => {
    const invitee = await registerUser(env, "adm-team-invitee");
    const leaver = await registerUser(env, "adm-team-leaver");
    await join(slug, owner, leaver, "viewer");
    const invited = await call(owner, "POST", `/api/teams/${slug}/invites`, { email: invitee.email, role: "member" });
    expect(invited.status).toBe(201);
    expect((await asAdmin(admin, "POST", `/api/admin/teams/${teamId}`, { action: "disable" })).status).toBe(200);
    const refused = await call(invitee, "POST", "/api/teams/join", { token: tokenOf(invited.json.link as string) });
    expect(refused.status).toBe(403);
    expect((refused.json.error as { message: string }).message).toMatch(DISABLED);
    expect((await call(invitee, "GET", "/api/teams")).json.teams).toEqual([]);
    expect((await call(leaver, "POST", `/api/teams/${slug}/leave`)).status).toBe(200);
    expect((await call(leaver, "GET", "/api/teams")).json.teams).toEqual([]);
    expect((await asAdmin(admin, "POST", `/api/admin/teams/${teamId}`, { action: "enable" })).status).toBe(200);
    expect((await call(invitee, "POST", "/api/teams/join", { token: tokenOf(invited.json.link as string) })).status).toBe(200);
    expect(await violations(teamId, [invitee.id, leaver.id])).toEqual([]);
  });

  it("hand-over: an admin makes a member, or anyone registered (by email), an owner; that unblocks deleting a person who alone owned a team", async () => {
    const founder = await registerUser(env, "adm-team-founder");
    const heir = await registerUser(env, "adm-team-heir");
    const soloSlug = `adm-solo-${process.pid}`;
    const made = await call(founder, "POST", "/api/teams", { name: "Solo Admin Co.", slug: soloSlug });
    const soloId = (made.json.team as { id: string }).id;
    await join(soloSlug, founder, member, "viewer");

    // Deleting the founder is refused while they alone own the team, and the advice points at the admin pages.
    const refused = await asAdmin(admin, "DELETE", `/api/admin/users/${founder.id}`, { confirm: founder.email });
    expect(refused.status).toBe(409);
    expect((refused.json.error as { message: string }).message).toMatch(/Solo Admin Co\..*Admin → Teams/);

    // A member, by id: promoted. Someone outside the team, by email (any case): joins as an owner.
    const promoted = await asAdmin(admin, "POST", `/api/admin/teams/${soloSlug}/owners`, { userId: member.id });
    expect(promoted).toMatchObject({ status: 200, json: { owner: { userId: member.id, role: "owner", previous: "viewer" } } });
    const joined = await asAdmin(admin, "POST", `/api/admin/teams/${soloId}/owners`, { email: heir.email.toUpperCase() });
    expect(joined).toMatchObject({ status: 200, json: { owner: { userId: heir.id, role: "owner", previous: null } } });
    expect((await asAdmin(admin, "POST", `/api/admin/teams/${soloId}/owners`, { email: heir.email })).status).toBe(409);
    const roles = Object.fromEntries(
      ((await call(heir, "GET", `/api/teams/${soloSlug}`)).json.members as { userId: string; role: string }[]).map((m) => [m.userId, m.role]),
    );
    expect(roles).toEqual({ [founder.id]: "owner", [member.id]: "owner", [heir.id]: "owner" });
    expect((await call(heir, "GET", "/api/teams")).json.teams).toEqual([expect.objectContaining({ slug: soloSlug, role: "owner" })]);
    const entries = await auditOf(soloId, "team.owner-appointed");
    expect(entries.map((e) => [e.target, e.actor.id, e.subject?.team])).toEqual([
      [heir.id, admin.id, soloSlug],
      [member.id, admin.id, soloSlug],
    ]);
    // A pending account can't be made an owner.
    const waiting = await registerUser(env, "adm-team-waiting", { status: "pending" });
    expect((await asAdmin(admin, "POST", `/api/admin/teams/${soloId}/owners`, { userId: waiting.id })).status).toBe(409);

    // Now the founder can go: they leave the team, which keeps its other owners.
    expect((await asAdmin(admin, "DELETE", `/api/admin/users/${founder.id}`, { confirm: founder.email })).status).toBe(204);
    const after = (await call(heir, "GET", `/api/teams/${soloSlug}`)).json.members as { userId: string }[];
    expect(after.map((m) => m.userId).sort()).toEqual([heir.id, member.id].sort());
    expect(await violations(soloId, [founder.id, heir.id, member.id])).toEqual([]);
  });

  it("deleting a team as an admin takes its keys, subscriptions and marketplace bindings with it, leaves no rows, and its slug stays taken", async () => {
    const gone = await registerUser(env, "adm-team-gone");
    const goneSlug = `adm-gone-${process.pid}`;
    const made = await call(gone, "POST", "/api/teams", { name: "Gone Co.", slug: goneSlug });
    const goneId = (made.json.team as { id: string }).id;
    await join(goneSlug, gone, outsider, "admin");
    expect((await call(gone, "POST", `/api/subscriptions?team=${goneSlug}`, { product: "free" })).status).toBe(200);
    const keys = await Promise.all(["one", "two"].map((name) => call(gone, "POST", `/api/keys?team=${goneSlug}`, { name })));
    const values = keys.map((k) => k.json.value as string);
    for (const value of values) expect(await env.callApi("pets", value)).toBe(200);
    expect((await call(gone, "POST", `/api/teams/${goneSlug}/invites`, { email: "pending-invite@example.com", role: "viewer" })).status).toBe(201);
    // A plan bought on AWS Marketplace for the team: deleting the team frees the purchase, as deleting a person does.
    const { bindCustomer, readCustomer } = await import("@/lib/db/customers");
    const { subSk, userPk } = await import("@/lib/db/keys");
    const identity = `adm-team-buyer-${process.pid}`;
    const planId = env.target("weather-basic").planId;
    await bindCustomer(identity, { userId: goneId, productCode: "prod-adm", planId });
    await env.lib.putItem({
      pk: userPk(goneId),
      sk: subSk(planId),
      userId: goneId,
      planId,
      productSlug: "weather-basic",
      productName: "Weather Basic",
      state: "awaiting",
      createdAt: new Date().toISOString(),
      team: goneSlug,
      source: "marketplace",
      customerKeys: [identity],
    });
    // Disabled first: a disabled team can be deleted too.
    expect((await asAdmin(admin, "POST", `/api/admin/teams/${goneId}`, { action: "disable" })).status).toBe(200);

    const deleted = await asAdmin(admin, "DELETE", `/api/admin/teams/${goneSlug}`, { confirm: ` ${goneSlug.toUpperCase()} ` });
    expect(deleted.status, JSON.stringify(deleted.json)).toBe(204);
    for (const k of keys) expect(await gatewayKey((k.json.key as { id: string }).id)).toBeUndefined();
    for (const value of values) expect(await env.callApi("pets", value)).toBe(403);
    expect((await readCustomer(identity))?.userId).toBeUndefined();
    expect(await violations(goneId, [gone.id, outsider.id])).toEqual([]);
    expect((await call(gone, "GET", "/api/teams")).json.teams).toEqual([]);
    expect(((await call(outsider, "GET", "/api/teams")).json.teams as { slug: string }[]).map((t) => t.slug)).not.toContain(goneSlug);
    expect((await asAdmin(admin, "GET", `/api/admin/teams/${goneId}`)).status).toBe(404);
    expect((await asAdmin(admin, "GET", `/api/admin/teams/${goneSlug}`)).status).toBe(404);
    expect((await asAdmin(admin, "DELETE", `/api/admin/teams/${goneId}`, { confirm: goneSlug })).status).toBe(404);
    // Its slug stays taken.
    expect((await call(outsider, "POST", "/api/teams", { name: "Reborn", slug: goneSlug })).status).toBe(409);
    expect((await auditOf(goneId, "team.deleted"))[0]).toMatchObject({
      actor: { kind: "admin", id: admin.id },
      subject: { userId: goneId, team: goneSlug },
      before: { name: "Gone Co.", members: 2, keys: 2, subscriptions: 1, marketplace: true },
    });
    // The team this file started with is untouched.
    expect(await env.callApi("pets", keyValue)).toBe(200);
  });

  it("making someone an owner of a team deleted meanwhile is a 404 that adds no one (the person can still be deleted)", async () => {
    const founder = await registerUser(env, "adm-race-founder");
    const newcomer = await registerUser(env, "adm-race-newcomer");
    const raceSlug = `adm-race-${process.pid}`;
    const made = await call(founder, "POST", "/api/teams", { name: "Race Co.", slug: raceSlug });
    const { findTeam, appointOwner } = { ...(await import("@/lib/teams")), ...(await import("@/lib/teams/admin")) };
    // The team as an admin's request read it, just before its owner deleted it.
    const stale = (await findTeam(raceSlug))!;
    expect((await call(founder, "DELETE", `/api/teams/${raceSlug}`)).status).toBe(204);
    await expect(appointOwner(stale, { id: newcomer.id, email: newcomer.email })).rejects.toMatchObject({ code: "not_found" });
    expect(await violations((made.json.team as { id: string }).id, [founder.id, newcomer.id])).toEqual([]);
    expect((await call(newcomer, "GET", "/api/teams")).json.teams).toEqual([]);
  });
});
