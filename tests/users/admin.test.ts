import { AdminGetUserCommand, CognitoIdentityProviderClient, ListUsersInGroupCommand } from "@aws-sdk/client-cognito-identity-provider";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUser, registerUser, startAccessSandbox } from "../access/setup";

type Users = typeof import("@/lib/users");
type Audit = typeof import("@/lib/audit");

describe("admin console: profiles, directory, user actions, registration, audit", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let users: Users;
  let audit: Audit;
  let cognito: CognitoIdentityProviderClient;
  let db: typeof import("@/lib/db/client").db;
  const admin = { kind: "admin" as const, id: "admin-actor", email: "admin@example.com" };

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    users = await import("@/lib/users");
    audit = await import("@/lib/audit");
    db = (await import("@/lib/db/client")).db;
    cognito = new CognitoIdentityProviderClient({});
  }, 60_000);
  afterAll(() => env.stop());

  const register = (label: string, status: "active" | "pending" = "active") => registerUser(env, label, { status });

  it("a user's profile follows their keys and subscriptions, and the directory finds them by email, name or key id", async () => {
    const { lib, target } = env;
    const user = await register("profiled");
    const { key } = await lib.createKey(user, "app");
    await lib.subscribe(user, target("free"));
    const profile = await users.getProfile(user.id);
    expect(profile).toMatchObject({ email: user.email, status: "active", keyCount: 1, keyIds: [key.id], plans: [target("free").planId] });

    for (const q of [user.email.toUpperCase(), "profiled tester", key.id.slice(0, 6)]) {
      const found = await users.listUsers({ q });
      expect(found.users.map((u) => u.userId)).toContain(user.id);
    }
    await lib.revokeKey(user.id, key.id);
    expect((await users.listUsers({ q: user.email })).users[0]).toMatchObject({ keyCount: 0, keyIds: [] });
    expect((await users.listUsers({ q: key.id })).total).toBe(0);
  });

  it("pages through the directory newest first and drops deleted accounts", async () => {
    const created: { id: string; email: string }[] = [];
    for (let i = 0; i < 3; i++) created.push(await register(`paged${i}`));
    const page1 = await users.listUsers({ q: "paged", pageSize: 2 });
    expect(page1).toMatchObject({ total: 3, pages: 2, page: 1 });
    const page2 = await users.listUsers({ q: "paged", pageSize: 2, page: 2 });
    expect([...page1.users, ...page2.users].map((u) => u.userId)).toEqual([...created].reverse().map((u) => u.id));
    // Out-of-range pages clamp to the last page.
    expect((await users.listUsers({ q: "paged", pageSize: 2, page: 99 })).page).toBe(2);

    await expect(users.deleteUser(created[0]!.id, { id: admin.id }, "someone-else@example.com")).rejects.toMatchObject({ code: "bad_request" });
    expect(await users.getProfile(created[0]!.id)).toBeDefined();
    await audit.runAs(admin, () => users.deleteUser(created[0]!.id, { id: admin.id }, created[0]!.email));
    expect((await users.listUsers({ q: "paged" })).total).toBe(2);
    expect(await users.getProfile(created[0]!.id)).toBeUndefined();
    // The tombstone keeps no personal data.
    const { Item } = await db.send(new GetCommand({ TableName: env.seeded.table, Key: { pk: `USER#${created[0]!.id}`, sk: "PROFILE" } }));
    expect(Item).toMatchObject({ status: "deleted" });
    expect(Item?.email).toBeUndefined();
    // A fresh directory (another server instance) agrees.
    users.forgetDirectory();
    expect((await users.listUsers({ q: "paged" })).total).toBe(2);
  });

  it("disabling a user stops their keys, sessions and sign-in; enabling restores them", async () => {
    const { lib, target, callApi } = env;
    const user = await register("disabled");
    const { value } = await lib.createKey(user, "app");
    await lib.subscribe(user, target("free"));
    await db.send(
      new PutCommand({
        TableName: env.seeded.table,
        Item: { pk: `USER#${user.id}`, sk: "SESSION#tok", sessionToken: "tok", userId: user.id, expires: Math.floor(Date.now() / 1000) + 3600 },
      }),
    );
    expect(await callApi("pets", value)).toBe(200);

    const disabled = await audit.runAs(admin, () => users.applyUserAction(user.id, "disable", { id: admin.id }));
    expect(disabled.status).toBe("disabled");
    expect(await callApi("pets", value)).toBe(403);
    expect((await cognito.send(new AdminGetUserCommand({ UserPoolId: env.seeded.cognito.userPoolId, Username: user.email }))).Enabled).toBe(false);
    expect((await db.send(new GetCommand({ TableName: env.seeded.table, Key: { pk: `USER#${user.id}`, sk: "SESSION#tok" } }))).Item).toBeUndefined();
    await expect(lib.createKey(user, "another")).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("disabled") });

    await audit.runAs(admin, () => users.applyUserAction(user.id, "enable", { id: admin.id }));
    expect(await callApi("pets", value)).toBe(200);
    expect((await cognito.send(new AdminGetUserCommand({ UserPoolId: env.seeded.cognito.userPoolId, Username: user.email }))).Enabled).toBe(true);

    const { entries } = await audit.listAudit({ userId: user.id, type: "user" });
    expect(entries.map((e) => e.type)).toEqual(["user.enabled", "user.disabled"]);
    expect(entries[1]).toMatchObject({ actor: admin, before: { status: "active" }, after: { status: "disabled" } });
  });

  it("admins can't disable or demote themselves, and granting admin reaches Cognito and the session", async () => {
    const user = await register("promoted");
    await expect(users.applyUserAction(user.id, "disable", { id: user.id })).rejects.toMatchObject({ code: "conflict" });
    await audit.runAs(admin, () => users.applyUserAction(user.id, "grant-admin", { id: admin.id }));
    const members = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: env.seeded.cognito.userPoolId, GroupName: "admins" }));
    expect(members.Users?.map((u) => u.Attributes?.find((a) => a.Name === "email")?.Value)).toContain(user.email);
    const row = await db.send(new GetCommand({ TableName: env.seeded.table, Key: { pk: `USER#${user.id}`, sk: `USER#${user.id}` } }));
    expect(row.Item?.groups).toEqual(["admins"]);
    expect((await users.getProfile(user.id))?.admin).toBe(true);
    await audit.runAs(admin, () => users.applyUserAction(user.id, "remove-admin", { id: admin.id }));
    expect((await db.send(new GetCommand({ TableName: env.seeded.table, Key: { pk: `USER#${user.id}`, sk: `USER#${user.id}` } }))).Item?.groups).toEqual([]);
    const after = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: env.seeded.cognito.userPoolId, GroupName: "admins" }));
    expect(after.Users?.map((u) => u.Attributes?.find((a) => a.Name === "email")?.Value)).not.toContain(user.email);
  });

  it("approval mode: new accounts wait, can't create keys, and an admin lets them in", async () => {
    const { lib } = env;
    await audit.runAs(admin, () => users.setRegistrationMode("approval"));
    try {
      expect(await users.admitNewUser("someone@example.com")).toEqual({ allowed: true, status: "pending", invited: false });
      const user = await register("waiting", "pending");
      await expect(lib.createKey(user, "app")).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("approval") });
      expect((await users.listUsers({ status: "pending" })).users.map((u) => u.userId)).toContain(user.id);
      await audit.runAs(admin, () => users.applyUserAction(user.id, "approve", { id: admin.id }));
      await expect(lib.createKey(user, "app")).resolves.toMatchObject({ key: { name: "app" } });
      await expect(users.applyUserAction(user.id, "approve", { id: admin.id })).rejects.toMatchObject({ code: "conflict" });
    } finally {
      await users.setRegistrationMode("open");
    }
  });

  it("invite-only: only invited people get in; invitations can be resent and cancelled", async () => {
    await audit.runAs(admin, () => users.setRegistrationMode("invite"));
    try {
      expect(await users.admitNewUser("stranger@example.com")).toEqual({ allowed: false });
      const email = `${newUser("invitee").email}`;
      const invite = await audit.runAs(admin, () => users.inviteUser({ email: email.toUpperCase(), name: "Ivy Invitee" }, { email: admin.email }));
      expect(invite).toMatchObject({ email, status: "pending", invitedBy: admin.email });
      const account = await cognito.send(new AdminGetUserCommand({ UserPoolId: env.seeded.cognito.userPoolId, Username: email }));
      expect(account.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
      expect(await users.admitNewUser(email)).toEqual({ allowed: true, status: "active", invited: true });
      await expect(users.inviteUser({ email }, { email: admin.email })).rejects.toMatchObject({ code: "conflict" });
      await expect(users.resendInvite(email)).resolves.toMatchObject({ resentAt: expect.any(String) });
      expect((await users.listInvites()).find((i) => i.email === email)?.status).toBe("pending");

      await audit.runAs(admin, () => users.cancelInvite(email));
      await expect(cognito.send(new AdminGetUserCommand({ UserPoolId: env.seeded.cognito.userPoolId, Username: email }))).rejects.toMatchObject({
        name: "UserNotFoundException",
      });
      expect(await users.admitNewUser(email)).toEqual({ allowed: false });
      await expect(users.cancelInvite(email)).rejects.toMatchObject({ code: "conflict" });
      const types = (await audit.listAudit({ type: "invite", limit: 10 })).entries.filter((e) => e.target === email).map((e) => e.type);
      expect(types).toEqual(["invite.cancelled", "invite.resent", "invite.sent"]);
    } finally {
      await users.setRegistrationMode("open");
    }
  });

  it("the audit log attributes changes to the caller or the system, filters, pages and exports safe CSV", async () => {
    const { lib } = env;
    const user = await register("audited");
    const actor = { kind: "user" as const, id: user.id, email: user.email };
    const { key } = await audit.runAs(actor, () => lib.createKey(user, '=HYPERLINK("http://evil")'));
    await lib.revokeKey(user.id, key.id);
    const { entries } = await audit.listAudit({ userId: user.id });
    expect(entries.map((e) => [e.type, e.actor.kind])).toEqual([
      ["key.revoked", "system"],
      ["key.created", "user"],
    ]);
    const first = await audit.listAudit({ userId: user.id, limit: 1 });
    expect(first.entries).toHaveLength(1);
    const rest = await audit.listAudit({ userId: user.id, limit: 1, cursor: first.cursor });
    expect(rest.entries[0]?.type).toBe("key.created");
    const csv = audit.auditCsv(entries);
    expect(csv.split("\n")[0]).toBe("at,type,actor,actor_email,actor_token,user_id,user_email,target,reason,before,after");
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(csv).toContain(key.id);
  });

  it("the usage collector stores usage for consumers who never open their dashboard, so the overview ranks them", async () => {
    const { lib, target, callApi, catalog } = env;
    const { collectUsage } = await import("@/lib/users/collector");
    const free = catalog.products.find((p) => p.slug === "free")!.plan;
    const user = await register("quiet");
    const { key, value } = await lib.createKey(user, "app");
    await lib.subscribe(user, target("free"));
    for (let i = 0; i < 3; i++) expect(await callApi("pets", value)).toBe(200);
    expect((await users.getProfile(user.id))?.usage ?? []).toEqual([]);
    expect((await users.getOverview()).topConsumers.map((c) => c.userId)).not.toContain(user.id);

    lib.resetControlPlaneStats();
    const report = await collectUsage(Date.now(), { ratePerSecond: 50 });
    expect(report.failed).toEqual([]);
    expect(report.plans).toBeGreaterThanOrEqual(1);
    // One GetUsagePlans and one GetUsage per subscribed plan, however many users and keys.
    expect(lib.getControlPlaneStats().calls).toEqual({ GetUsagePlans: 1, GetUsage: report.plans });
    const [stored] = (await users.getProfile(user.id))?.usage ?? [];
    expect(stored).toMatchObject({ planId: free.id, keyId: key.id, requests7d: 3 });
    expect(stored?.quotaUsed).toBeCloseTo(3 / free.quota!.limit);
    expect((await users.getOverview()).topConsumers).toContainEqual(expect.objectContaining({ userId: user.id, requests7d: 3 }));

    // Runs are idempotent, and the dashboard reads the stored row without asking API Gateway again.
    expect(await callApi("pets", value)).toBe(200);
    await collectUsage(Date.now(), { ratePerSecond: 50 });
    expect((await users.getProfile(user.id))?.usage?.[0]?.requests7d).toBe(4);
    lib.resetControlPlaneStats();
    const usage = await lib.getPlanUsage(user.id, free.id, 7, { plan: free });
    expect(usage.keys[0]!.days.at(-1)!.used).toBe(4);
    expect(lib.getControlPlaneStats().calls).toEqual({});

    // A key the user revoked keeps its history (marked gone) and the collector leaves it alone.
    expect(await callApi("pets", value)).toBe(200);
    await lib.revokeKey(user.id, key.id);
    await collectUsage(Date.now(), { ratePerSecond: 50 });
    expect((await users.getProfile(user.id))?.usage ?? []).toEqual([
      expect.objectContaining({ planId: free.id, keyId: key.id, keyName: "app", gone: true, requests7d: 5 }),
    ]);
  });
});

describe("overview", () => {
  it("counts people and keys, and ranks consumers and keys near quota from stored profiles", async () => {
    const { summarize } = await import("@/lib/users/overview");
    const now = Date.parse("2026-11-21T12:00:00Z");
    const base = { name: null, admin: false, keyIds: [], plans: [], pendingPlans: [], marketplace: false, updatedAt: "2026-11-21T00:00:00Z" };
    const profiles = [
      {
        ...base,
        userId: "a",
        email: "a@x",
        joinedAt: "2026-11-21T01:00:00Z",
        status: "active" as const,
        keyCount: 2,
        admin: true,
        usage: [{ planId: "p", keyId: "k1", requests7d: 500, quotaUsed: 0.95, fetchedAt: "2026-11-21T10:00:00Z" }],
      },
      {
        ...base,
        userId: "b",
        email: "b@x",
        joinedAt: "2026-11-20T01:00:00Z",
        status: "active" as const,
        keyCount: 1,
        pendingPlans: ["q"],
        usage: [{ planId: "p", keyId: "k2", requests7d: 900, quotaUsed: 0.5, fetchedAt: "2026-11-21T09:00:00Z" }],
      },
      { ...base, userId: "c", email: "c@x", joinedAt: "2026-10-01T01:00:00Z", status: "disabled" as const, keyCount: 4, usage: [] },
    ];
    const overview = summarize(profiles, now);
    expect(overview.users).toMatchObject({ total: 3, active: 2, disabled: 1, pending: 0 });
    expect(overview).toMatchObject({ admins: 1, activeKeys: 3, pendingSubscriptions: 1, usageAsOf: "2026-11-21T09:00:00Z" });
    expect(overview.signUps.at(-1)).toEqual({ day: "2026-11-21", count: 1 });
    expect(overview.signUps.at(-2)).toEqual({ day: "2026-11-20", count: 1 });
    expect(overview.signUps.reduce((n, d) => n + d.count, 0)).toBe(2);
    expect(overview.topConsumers.map((c) => c.userId)).toEqual(["b", "a"]);
    expect(overview.nearQuota).toEqual([{ userId: "a", email: "a@x", planId: "p", keyId: "k1", quotaUsed: 0.95 }]);
  });
});
