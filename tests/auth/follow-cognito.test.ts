import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBAdapter } from "@auth/dynamodb-adapter";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Adapter } from "next-auth/adapters";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newUser, startAccessSandbox } from "../access/setup";

type Follow = typeof import("@/lib/auth/follow-cognito");

/**
 * Sessions follow changes made directly in Cognito (console, CLI) within COGNITO_RECHECK_MS, through
 * the real Auth.js DynamoDB adapter, the sandbox's Cognito and DynamoDB — and never with a Cognito
 * call per request.
 */
describe("sessions follow Cognito", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let follow: Follow;
  let adapter: Adapter;
  let loadSession: NonNullable<Adapter["getSessionAndUser"]>;
  let idp: CognitoIdentityProviderClient;
  let db: typeof import("@/lib/db/client").db;
  let cognitoClient: typeof import("@/lib/cognito/client").cognito;
  let pool: string;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    follow = await import("@/lib/auth/follow-cognito");
    db = (await import("@/lib/db/client")).db;
    cognitoClient = (await import("@/lib/cognito/client")).cognito;
    adapter = DynamoDBAdapter(db, { tableName: env.seeded.table });
    loadSession = follow.sessionsFollowingCognito(adapter);
    idp = new CognitoIdentityProviderClient({});
    pool = env.seeded.cognito.userPoolId;
  }, 60_000);
  afterAll(() => env.stop());

  /** A portal user signed in as an admin a moment ago (`checkedAt`), with `sessions` live sessions. */
  async function signedInAdmin(label: string, sessions = 1, checkedAt = Date.now()) {
    const { email } = newUser(label);
    const created = await idp.send(
      new AdminCreateUserCommand({ UserPoolId: pool, Username: email, UserAttributes: [{ Name: "email", Value: email }], MessageAction: "SUPPRESS" }),
    );
    const sub = created.User!.Attributes!.find((a) => a.Name === "sub")!.Value!;
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: email, GroupName: "admins" }));
    // The adapter picks the user id and links the Cognito account by its sub, as at a first sign-in.
    const user = await adapter.createUser!({ id: "", email, emailVerified: null, name: label });
    await adapter.linkAccount!({ userId: user.id, type: "oidc", provider: "cognito", providerAccountId: sub });
    await setRow(user.id, { groups: ["admins"], cognitoCheckedAt: checkedAt });
    const { updateProfile } = await import("@/lib/db/profiles");
    await updateProfile(user.id, { admin: true }, { create: { email, name: label, status: "active" } });
    const tokens = Array.from({ length: sessions }, (_, i) => `${user.id}-token-${i}`);
    for (const sessionToken of tokens) await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) });
    return { id: user.id, email, sub, tokens };
  }

  async function setRow(userId: string, values: Record<string, unknown>) {
    const names = Object.keys(values);
    await db.send(
      new UpdateCommand({
        TableName: env.seeded.table,
        Key: { pk: `USER#${userId}`, sk: `USER#${userId}` },
        UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
      }),
    );
  }

  /** Pretends the last check was `ms` ago (the interval passing, without waiting for it). */
  const age = (userId: string, ms: number) => setRow(userId, { cognitoCheckedAt: Date.now() - ms });
  const userRow = async (userId: string) =>
    (await db.send(new GetCommand({ TableName: env.seeded.table, Key: { pk: `USER#${userId}`, sk: `USER#${userId}` } }))).Item!;

  it("a group removed in Cognito leaves the session's groups at the next check, not before", async () => {
    const user = await signedInAdmin("demoted");
    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: user.email, GroupName: "admins" }));
    // Within the interval the session keeps what it had: no Cognito call.
    const send = vi.spyOn(cognitoClient, "send");
    expect((await loadSession(user.tokens[0]!))?.user).toMatchObject({ groups: ["admins"] });
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();

    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    expect((await loadSession(user.tokens[0]!))?.user).toMatchObject({ id: user.id, groups: [] });
    expect(await userRow(user.id)).toMatchObject({ groups: [] });
    const { getProfile } = await import("@/lib/db/profiles");
    expect(await getProfile(user.id)).toMatchObject({ admin: false });
    const { listAudit } = await import("@/lib/audit");
    expect((await listAudit({ userId: user.id })).entries[0]).toMatchObject({
      type: "user.groups-changed",
      actor: { kind: "system", id: "cognito" },
      after: { groups: [] },
    });

    // And a group added in Cognito arrives the same way.
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: user.email, GroupName: "admins" }));
    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    expect((await loadSession(user.tokens[0]!))?.user).toMatchObject({ groups: ["admins"] });
  });

  it.each([
    ["disabled", (email: string) => idp.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: email }))],
    ["deleted", (email: string) => idp.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: email }))],
  ])("a user %s in Cognito loses every session at the next check", async (label, change) => {
    const user = await signedInAdmin(label, 3);
    await change(user.email);
    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    expect(await loadSession(user.tokens[1]!)).toBeNull();
    for (const token of user.tokens) expect(await adapter.getSessionAndUser!(token)).toBeNull();
    const { listAudit } = await import("@/lib/audit");
    expect((await listAudit({ userId: user.id })).entries[0]).toMatchObject({
      type: "user.sessions-ended",
      reason: `${label} in Cognito`,
      after: { sessions: 3 },
    });
  });

  it("follows the Cognito account by its sub, not the email: a changed address keeps the session, and a new account on the old address is someone else", async () => {
    const user = await signedInAdmin("renamed", 1);
    const moved = `moved-${user.email}`;
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: user.sub, UserAttributes: [{ Name: "email", Value: moved }] }));
    // Someone else signs up with the address the user left, and is enabled and an admin.
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: pool, Username: user.email, UserAttributes: [{ Name: "email", Value: user.email }], MessageAction: "SUPPRESS" }),
    );
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: user.email, GroupName: "admins" }));
    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    expect((await loadSession(user.tokens[0]!))?.user).toMatchObject({ id: user.id, groups: ["admins"] });

    // Disabling the user's own account ends the session, whatever the old address's account is.
    await idp.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: user.sub }));
    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    expect(await loadSession(user.tokens[0]!)).toBeNull();
  });

  it("the admin console's actions and account deletion also address the user's own account by its sub, after an email change", async () => {
    const { applyUserAction } = await import("@/lib/users/admin");
    const { removeAccount } = await import("@/lib/access/account");
    const user = await signedInAdmin("moved-then-disabled", 1);
    const moved = `moved-${user.email}`;
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: user.sub, UserAttributes: [{ Name: "email", Value: moved }] }));
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: pool, Username: user.email, UserAttributes: [{ Name: "email", Value: user.email }], MessageAction: "SUPPRESS" }),
    );
    const enabled = async (username: string) => (await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }))).Enabled;

    await applyUserAction(user.id, "disable", { id: "another-admin" });
    expect(await enabled(user.sub)).toBe(false);
    expect(await enabled(user.email)).toBe(true); // the newcomer on the old address is untouched

    await removeAccount({ id: user.id, email: user.email, userPoolId: pool });
    await expect(idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: user.sub }))).rejects.toMatchObject({ name: "UserNotFoundException" });
    expect(await enabled(user.email)).toBe(true);
  });

  it("many requests at once after the interval make one check between them", async () => {
    const user = await signedInAdmin("busy", 1);
    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: user.email, GroupName: "admins" }));
    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    const send = vi.spyOn(cognitoClient, "send");
    const loaded = await Promise.all(Array.from({ length: 12 }, () => loadSession(user.tokens[0]!)));
    // AdminGetUser + AdminListGroupsForUser, once.
    expect(send).toHaveBeenCalledTimes(2);
    send.mockRestore();
    expect(loaded.every((l) => l !== null)).toBe(true);
    expect(loaded.filter((l) => l!.user.groups?.length === 0).length).toBeGreaterThanOrEqual(1);
    expect(await userRow(user.id)).toMatchObject({ groups: [] });
  });

  it("when Cognito can't answer, the session carries on and the check comes back soon", async () => {
    const user = await signedInAdmin("outage");
    await idp.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: user.email }));
    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await fetch(`${env.sandbox.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify({ "cognito-idp": { errorRate: 1 } }) });
    try {
      expect((await loadSession(user.tokens[0]!))?.user).toMatchObject({ id: user.id });
    } finally {
      await fetch(`${env.sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    }
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("couldn't check a session's user in Cognito"));
    warn.mockRestore();
    // The retry is due well before a whole interval has passed.
    const retryAt = Number((await userRow(user.id)).cognitoCheckedAt) + follow.COGNITO_RECHECK_MS;
    expect(retryAt - Date.now()).toBeLessThanOrEqual(31_000);
    await age(user.id, follow.COGNITO_RECHECK_MS + 1);
    expect(await loadSession(user.tokens[0]!)).toBeNull();
  });
});
