import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccessSandbox } from "../access/setup";

// Its own file: the portal reads PORTICO_SELF_SIGN_UP once per process (lib/config.ts).
describe("a user pool where only admins create accounts (stage setting auth.selfSignUp: false)", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let users: typeof import("@/lib/users");

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, { ...env.authEnv, PORTICO_SELF_SIGN_UP: "false" });
    users = await import("@/lib/users");
  }, 60_000);
  afterAll(() => env.stop());

  it("keeps the portal invite-only whatever the stored mode says, refuses to open it, and admits only invited people", async () => {
    const { db } = await import("@/lib/db/client");
    const { runAs } = await import("@/lib/audit");
    // A mode stored before the stage turned self sign-up off.
    await db.send(new PutCommand({ TableName: env.seeded.table, Item: { pk: "PORTICO#SETTINGS", sk: "REGISTRATION", mode: "open" } }));
    expect(users.selfSignUpAllowed()).toBe(false);
    expect(await users.getRegistrationMode()).toBe("invite");

    const admin = { kind: "admin" as const, id: "admin-actor", email: "admin@example.com" };
    for (const mode of ["open", "approval"] as const) {
      await expect(runAs(admin, () => users.setRegistrationMode(mode))).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringContaining("auth.selfSignUp"),
      });
    }
    await runAs(admin, () => users.setRegistrationMode("invite"));
    expect(await users.getRegistrationMode()).toBe("invite");

    expect(await users.admitNewUser("stranger@example.com")).toEqual({ allowed: false });
    await runAs(admin, () => users.inviteUser({ email: "guest@example.com", name: "Guest" }, { email: admin.email }));
    expect(await users.admitNewUser("guest@example.com")).toMatchObject({ allowed: true, invited: true });
  });
});
