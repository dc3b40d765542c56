// npm run bench -- sessions: what it costs for sessions to follow Cognito (lib/auth/follow-cognito.ts).
// Signed-in users load their sessions through the real Auth.js DynamoDB adapter against the sandbox,
// on a simulated clock (minutes pass without waiting), while an owner changes some of them in
// Cognito: removes them from `admins`, disables them. Each load runs twice side by side: the
// adapter alone, and the adapter followed by the Cognito check the portal runs on every session load.
// Reported: Cognito calls per 1,000 session loads (the per-account quota is what's at stake), the
// latency of a load with and without the check, and how long each Cognito change took to reach a
// session. Figures are reported, never judged: nothing here fails on a timing.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  AdminCreateUserCommand,
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBAdapter } from "@auth/dynamodb-adapter";
import { freePort, loopback, ms, percentile, pool, runBench, spawnSandbox, step, table, type Cleanup } from "./support";

const USERS = Math.max(4, Number(process.env.BENCH_SESSIONS_USERS ?? 40));
const MINUTES = Math.max(10, Number(process.env.BENCH_SESSIONS_MINUTES ?? 30));
const LOADS_PER_MINUTE = Math.max(1, Number(process.env.BENCH_SESSIONS_RPM ?? 6));
const CONCURRENCY = 8;
/** Simulated minutes at which the owner changes users in Cognito. */
const DEMOTE_AT = Math.floor(MINUTES / 3);
const DISABLE_AT = Math.floor((2 * MINUTES) / 3);
const CHANGED = Math.max(1, Math.floor(USERS / 8));

export async function run(): Promise<void> {
  await runBench(bench, "stopping the sandbox");
}

async function bench(cleanup: Cleanup): Promise<void> {
  console.log(
    `\nSessions following Cognito: ${USERS} signed-in admins, each loading their session ${LOADS_PER_MINUTE}×/minute for ${MINUTES} simulated minutes ` +
      `(${USERS * LOADS_PER_MINUTE * MINUTES} loads, ${CONCURRENCY} at a time); at minute ${DEMOTE_AT} ${CHANGED} are removed from admins in Cognito, at minute ${DISABLE_AT} ${CHANGED} others are disabled.\n`,
  );
  let done = step("sandbox: start and seed");
  const sandbox = await spawnSandbox(await freePort(), { env: { SANDBOX_SCHEDULE: "off" } });
  cleanup.add("sandbox", () => sandbox.stop());
  const url = loopback(sandbox.url);
  const endpoints = JSON.parse(readFileSync(path.join(sandbox.stateDir, "endpoints.json"), "utf8")) as { env: Record<string, string> };
  // The portal's settings besides the sandbox's endpoints (lib/config checks them all).
  Object.assign(process.env, endpoints.env, { AWS_ENDPOINT_URL: url, AUTH_SECRET: "bench-".padEnd(40, "x") });
  (await import("../lib/config")).getConfig(); // misconfiguration shows here, named, not as failed checks later
  const { db } = await import("../lib/db/client");
  const { cognito } = await import("../lib/cognito/client");
  const { followCognito, COGNITO_RECHECK_MS } = await import("../lib/auth/follow-cognito");
  const { tableName } = await import("../lib/db/table");
  const { UpdateCommand } = await import("@aws-sdk/lib-dynamodb");
  const adapter = DynamoDBAdapter(db, { tableName: tableName() });
  const idp = new CognitoIdentityProviderClient({ endpoint: url });
  const userPool = process.env.COGNITO_USER_POOL_ID!;
  done();

  // Every Cognito call the portal's client makes, counted where it is sent.
  const cognitoCalls = new Map<string, number>();
  cognito.middlewareStack.add(
    (next, context) => (args) => {
      const name = (context.commandName ?? "Unknown").replace(/Command$/, "");
      cognitoCalls.set(name, (cognitoCalls.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "benchCognitoCount" },
  );

  const start = Date.now();
  done = step(`${USERS} users: Cognito account in admins, Auth.js user, linked account and a session each`);
  const users: { id: string; sub: string; email: string; token: string }[] = [];
  const runId = start.toString(36);
  await pool(
    Array.from({ length: USERS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const email = `bench-session-${runId}-${i}@example.com`;
      const created = await idp.send(
        new AdminCreateUserCommand({ UserPoolId: userPool, Username: email, UserAttributes: [{ Name: "email", Value: email }], MessageAction: "SUPPRESS" }),
      );
      const sub = created.User!.Attributes!.find((a) => a.Name === "sub")!.Value!;
      await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPool, Username: email, GroupName: "admins" }));
      const user = await adapter.createUser!({ id: "", email, emailVerified: null, name: `Bench ${i}` });
      await adapter.linkAccount!({ userId: user.id, type: "oidc", provider: "cognito", providerAccountId: sub });
      // As a sign-in leaves the row: groups from the ID token, checked just now.
      await db.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: `USER#${user.id}`, sk: `USER#${user.id}` },
          UpdateExpression: "SET #groups = :groups, cognitoCheckedAt = :now",
          ExpressionAttributeNames: { "#groups": "groups" },
          ExpressionAttributeValues: { ":groups": ["admins"], ":now": start },
        }),
      );
      const token = `bench-${runId}-${i}`;
      await adapter.createSession!({ sessionToken: token, userId: user.id, expires: new Date(start + 86_400_000) });
      users.push({ id: user.id, sub, email, token });
    },
  );
  done();
  cognitoCalls.clear();

  const demoted = new Map(users.slice(0, CHANGED).map((u) => [u.id, Infinity]));
  const disabled = new Map(users.slice(CHANGED, 2 * CHANGED).map((u) => [u.id, Infinity]));
  const baseline: number[] = [];
  const following: number[] = [];
  let loads = 0;
  done = step(`${MINUTES} simulated minutes of session loads`);
  for (let minute = 0; minute < MINUTES; minute++) {
    if (minute === DEMOTE_AT)
      for (const u of users.slice(0, CHANGED))
        await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPool, Username: u.sub, GroupName: "admins" }));
    if (minute === DISABLE_AT)
      for (const u of users.slice(CHANGED, 2 * CHANGED)) await idp.send(new AdminDisableUserCommand({ UserPoolId: userPool, Username: u.sub }));
    const slots = users.flatMap((u) =>
      Array.from({ length: LOADS_PER_MINUTE }, (_, k) => ({ u, at: start + minute * 60_000 + Math.floor(((k + Math.random()) * 60_000) / LOADS_PER_MINUTE) })),
    );
    slots.sort((a, b) => a.at - b.at);
    await pool(slots, CONCURRENCY, async ({ u, at }) => {
      let t = performance.now();
      const plain = await adapter.getSessionAndUser!(u.token);
      baseline.push(performance.now() - t);
      t = performance.now();
      const found = await adapter.getSessionAndUser!(u.token);
      const user = found && (await followCognito(found.user, at));
      following.push(performance.now() - t);
      loads++;
      if (!plain) return;
      if (demoted.has(u.id) && minute >= DEMOTE_AT && user && !user.groups?.includes("admins"))
        demoted.set(u.id, Math.min(demoted.get(u.id)!, at - (start + DEMOTE_AT * 60_000)));
      if (disabled.has(u.id) && minute >= DISABLE_AT && !user) disabled.set(u.id, Math.min(disabled.get(u.id)!, at - (start + DISABLE_AT * 60_000)));
    });
  }
  done();

  const calls = [...cognitoCalls.values()].reduce((a, b) => a + b, 0);
  const minutesTo = (values: number[]) => (values.some((v) => !Number.isFinite(v)) ? "never (some)" : `${(Math.max(...values) / 60_000).toFixed(1)} min`);
  console.log(`\nCognito calls during ${loads} session loads (${MINUTES} simulated minutes, ${USERS} users):\n`);
  console.log(
    table([
      { measure: "session loads", value: loads },
      { measure: "Cognito calls", value: `${calls} (${[...cognitoCalls].map(([name, n]) => `${name} ${n}`).join(", ")})` },
      { measure: "Cognito calls per 1,000 loads", value: ((1000 * calls) / loads).toFixed(1) },
      { measure: "calls per user per 5 minutes (bound: 2)", value: ((calls / USERS / MINUTES) * (COGNITO_RECHECK_MS / 60_000)).toFixed(2) },
      { measure: `removal from admins reached every session within`, value: minutesTo([...demoted.values()]) },
      { measure: `disabling ended every session within`, value: minutesTo([...disabled.values()]) },
    ]),
  );
  console.log(`\nA session load, side by side (adapter alone vs adapter + the Cognito check), ${CONCURRENCY} at a time:\n`);
  const row = (name: string, values: number[]) => ({
    load: name,
    p50: ms(percentile(values, 50)),
    p95: ms(percentile(values, 95)),
    p99: ms(percentile(values, 99)),
  });
  console.log(table([row("adapter alone", baseline), row("adapter + follow Cognito", following)]));
  console.log(
    `\nratio p50 ${(percentile(following, 50) / percentile(baseline, 50)).toFixed(2)}×, p95 ${(percentile(following, 95) / percentile(baseline, 95)).toFixed(2)}× (a check's Cognito reads land on the one load per user per interval that claims it)\n`,
  );
}
