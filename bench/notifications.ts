// npm run bench -- notifications: issue #21's acceptance. Outbox throughput and the time from a
// quota threshold crossing to its delivery, at 10,000 subscribed keys, against the sandbox in its
// own process (budget off, SANDBOX_SCHEDULE=off so its own jobs stay out of the way), with lib/'s
// jobs run in this process as the scheduled Lambdas would run them:
//
//   1. setup: a usage plan with a small daily quota on the Pets API's prod stage (AWS SDK), one real
//      key per user (ImportApiKeys, in the plan through the file's UsagePlanIds column), the portal's
//      rows for each user (USER, KEY#, SUB#, PROFILE, as the app writes them) straight into the
//      table, and a webhook endpoint (lib/notifications createEndpoint) for a share of them, pointed
//      at a receiver on 127.0.0.1 in this process that counts and answers 200;
//   2. usage: every key called past 80 % of its quota through the data plane, a bounded number of
//      calls in flight, noting when each key's crossing call came back (`crossedAt`);
//   3. the pipeline: one collectUsage run (it queues the quota notices), then runNotifier runs back
//      to back, as a 1-minute schedule would run them but without the wait, until nothing is due;
//   4. a second collectUsage run (it must queue nothing), and the control-plane calls of each job.
//
// "Delivered" is when SES accepted the email (the SendEmail call returned, seen by a middleware on
// lib/ses's client) or when the receiver got the webhook. Figures are printed, never judged.
//
// Knobs: BENCH_NOTIFY_USERS (10000: one key each; the sandbox, like AWS, holds 10,000 keys at most),
// BENCH_NOTIFY_WEBHOOK_SHARE (0.1), BENCH_NOTIFY_QUOTA (5 requests a DAY), BENCH_NOTIFY_CONCURRENCY
// (64 data-plane calls in flight), BENCH_NOTIFY_BATCH (500, runNotifier's default: notices expanded
// and deliveries attempted per round), BENCH_NOTIFY_SENDERS (runNotifier's deliveries in flight;
// unset: its default), BENCH_NOTIFY_MAX_RUNS (200), BENCH_NOTIFY_EMAIL_RATE (1000 emails/s: the
// pipeline's capacity; a deployment paces email at notifications.emailsPerSecond, 10 by default, to
// stay under SES's sending rate — the report derives what that adds). A quick run: BENCH_NOTIFY_USERS=500.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { APIGatewayClient, CreateUsagePlanCommand, ImportApiKeysCommand } from "@aws-sdk/client-api-gateway";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocument, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { Webhook } from "standardwebhooks";
import { JOBS } from "../functions/jobs";
import { summarizeAccess } from "../lib/access/profile";
import { DIRECTORY_PK, keySk, OUTBOX_SHARDS, outboxIndex, PROFILE_SK, subSk, userPk } from "../lib/db/keys";
import type { Profile } from "../lib/db/profiles";
import type { KeyRow, SubscriptionRow } from "../lib/db/rows";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "../local/context";
import { SANDBOX_CONFIGURATION_SET, SANDBOX_EMAIL_FROM } from "../local/ses/wiring";
import { freePort, loopback, ms, percentile, pool, runBench, spawnSandbox, step, table, type Cleanup } from "./support";

const USERS = Math.min(10_000, Math.max(10, Number(process.env.BENCH_NOTIFY_USERS ?? 10_000)));
const WEBHOOK_SHARE = Math.min(1, Math.max(0, Number(process.env.BENCH_NOTIFY_WEBHOOK_SHARE ?? 0.1)));
const QUOTA = Math.max(2, Number(process.env.BENCH_NOTIFY_QUOTA ?? 5));
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_NOTIFY_CONCURRENCY ?? 64));
const BATCH = Math.max(1, Number(process.env.BENCH_NOTIFY_BATCH ?? 500));
const MAX_RUNS = Math.max(1, Number(process.env.BENCH_NOTIFY_MAX_RUNS ?? 200));
/** runNotifier's deliveries in flight; unset: its own default. */
const SENDERS = process.env.BENCH_NOTIFY_SENDERS ? Math.max(1, Number(process.env.BENCH_NOTIFY_SENDERS)) : undefined;
/** The pipeline's own capacity by default; a deployment sends at portal.yaml's notifications.emailsPerSecond (10), under SES's rate. */
const EMAIL_RATE = Math.max(0.1, Number(process.env.BENCH_NOTIFY_EMAIL_RATE ?? 1_000));
/** Calls that take a key to 80 % of its quota (and not to 100 %, for one notice a key). */
const CALLS_PER_KEY = Math.ceil(QUOTA * 0.8);
const PLAN_NAME = "Notify Bench";
const IMPORT_CHUNK = 1_000;
const SEED_CONCURRENCY = 4;
const ENDPOINT_CONCURRENCY = 8;
/** Webhooks whose signature is checked afterwards with standardwebhooks' own verifier. */
const VERIFY_SAMPLE = 100;

const int = (n: number) => Math.round(n).toLocaleString("en");
const rate = (count: number, millis: number) => (millis > 0 ? int(count / (millis / 1000)) : "-");
const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;
const minutes = (millis: number) => `${(millis / 60_000).toFixed(1)} min`;
/** Minutes of a job's EventBridge rate() schedule. */
const scheduleMinutes = (expression: string) => {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return NaN;
  return Number(match[1]) * ({ minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 } as Record<string, number>)[match[2]!]!;
};

interface BenchUser {
  userId: string;
  email: string;
  keyId: string;
  /** The key's value: used for the calls only, never printed. */
  value: string;
  webhook?: { secret: string };
  crossedAt?: number;
}

/** Count and summed duration of each operation a client sent, for "where the time goes". */
class Tally {
  ops = new Map<string, { count: number; ms: number }>();
  add(op: string, millis: number): void {
    const entry = this.ops.get(op) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += millis;
    this.ops.set(op, entry);
  }
  take(): Map<string, { count: number; ms: number }> {
    const ops = this.ops;
    this.ops = new Map();
    return ops;
  }
}

type Stack = { middlewareStack: { add: (mw: never, options: { step: "initialize"; name: string }) => void } };
/** Times every command a lib/ client sends (whole call: retries included). */
function timeCommands(client: unknown, service: string, tally: Tally, onDone?: (input: unknown, at: number) => void): void {
  (client as Stack).middlewareStack.add(
    ((next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        tally.add(`${service} ${(context.commandName ?? "?").replace(/Command$/, "")}`, performance.now() - started);
        onDone?.(args.input, Date.now());
      }
    }) as never,
    { step: "initialize", name: `bench${service}Timing` },
  );
}

const tallyRows = (ops: Map<string, { count: number; ms: number }>, wallMs: number, per: { unit: string; count: number }) =>
  [...ops]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([op, { count, ms: total }]) => ({
      operation: op,
      calls: int(count),
      [`a ${per.unit}`]: (count / Math.max(1, per.count)).toFixed(2),
      "mean ms": (total / count).toFixed(1),
      "total s": (total / 1000).toFixed(1),
      // Above 1: that many calls of the kind were in flight on average (concurrent sends).
      "time in calls ÷ phase": (total / wallMs).toFixed(2),
    }));

const spread = (values: number[]) =>
  values.length
    ? { n: int(values.length), p50: seconds(percentile(values, 50)), p95: seconds(percentile(values, 95)), max: seconds(Math.max(...values)) }
    : undefined;

export async function run(): Promise<void> {
  await runBench(bench, "stopping the sandbox and the webhook receiver");
}

async function bench(cleanup: Cleanup): Promise<void> {
  const runStarted = performance.now();
  const webhookUsers = Math.round(USERS * WEBHOOK_SHARE);
  console.log(
    `\nNotifications benchmark: ${int(USERS)} subscribed keys (one per user, ${int(webhookUsers)} users with a webhook endpoint), a ${QUOTA}/DAY quota, ` +
      `${CALLS_PER_KEY} calls a key (${Math.round((100 * CALLS_PER_KEY) / QUOTA)} %), notifier batch ${BATCH}. ` +
      `Sandbox in its own process (budget off, SANDBOX_SCHEDULE=off), the jobs in this one; ${os.availableParallelism()} cores, load average ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")}.\n`,
  );
  const setup: { step: string; time: string; note: string }[] = [];
  const timed = async <T>(label: string, note: (value: T) => string, work: () => Promise<T>): Promise<T> => {
    const done = step(label);
    const started = performance.now();
    const value = await work();
    done();
    setup.push({ step: label, time: seconds(performance.now() - started), note: note(value) });
    return value;
  };

  // 1. The sandbox, and this process pointed at it (lib's clients read the endpoint when imported).
  const port = await freePort();
  const sandbox = await timed(
    "sandbox: start and seed",
    () => "",
    () => spawnSandbox(port, { env: { SANDBOX_SCHEDULE: "off" } }),
  );
  cleanup.add("sandbox", () => sandbox.stop());
  const url = loopback(sandbox.url);
  const endpoints = JSON.parse(readFileSync(path.join(sandbox.stateDir, "endpoints.json"), "utf8")) as {
    env: Record<string, string>;
    table: string;
    apis: { id: string; name: string }[];
  };
  for (const name of ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PORTICO_TABLE"]) process.env[name] = endpoints.env[name];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AUTH_URL: "http://localhost:3000",
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    PORTICO_EMAIL_FROM: SANDBOX_EMAIL_FROM,
    PORTICO_SES_CONFIGURATION_SET: SANDBOX_CONFIGURATION_SET,
    PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1",
  });
  const { collectUsage } = await import("../lib/users/collector");
  const { runNotifier } = await import("../lib/notifications/notifier");
  const { createEndpoint } = await import("../lib/notifications/endpoints");
  const gateway = await import("../lib/apigateway");
  const { dynamodb } = await import("../lib/db/client");
  const { ses } = await import("../lib/ses/client");

  // Timing of every DynamoDB and SES call lib/ makes; the time each address's email was accepted.
  const tally = new Tally();
  const emailAt = new Map<string, number[]>();
  timeCommands(dynamodb, "DynamoDB", tally);
  timeCommands(gateway.apigateway, "API Gateway", tally);
  timeCommands(ses, "SES", tally, (input, at) => {
    const to = (input as { Destination?: { ToAddresses?: string[] } }).Destination?.ToAddresses?.[0];
    if (to) emailAt.set(to, [...(emailAt.get(to) ?? []), at]);
  });
  const sandboxCalls = async () => {
    const body = (await (await fetch(`${url}/_sandbox/apigateway/calls`)).json()) as { calls: Record<string, number> };
    return body.calls;
  };
  const resetCalls = async () => {
    gateway.resetControlPlaneStats();
    await (await fetch(`${url}/_sandbox/apigateway/calls`, { method: "DELETE" })).arrayBuffer();
  };

  // The webhook receiver: counts, notes when each message arrived, keeps a sample to verify, answers 200.
  const webhookAt = new Map<string, number[]>();
  // Checked on arrival: the verifier refuses a timestamp more than 5 minutes old, and a large run lasts longer.
  const secretOf = new Map<string, string>();
  const signatures = { checked: 0, verified: 0, error: "" };
  const verify = (headers: IncomingHttpHeaders, body: string) => {
    signatures.checked++;
    try {
      new Webhook(secretOf.get(String(headers["webhook-id"] ?? "").split(":")[1] ?? "") ?? "").verify(body, headers as Record<string, string>);
      signatures.verified++;
    } catch (error) {
      signatures.error ||= (error as Error).message;
    }
  };
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      webhookAt.set(id, [...(webhookAt.get(id) ?? []), Date.now()]);
      if (signatures.checked < VERIFY_SAMPLE) verify(req.headers, Buffer.concat(chunks).toString());
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  cleanup.add("webhook receiver", () => new Promise((resolve) => receiver.close(resolve)));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  // 2. The plan, through the control plane as an owner would make it.
  const apigw = new APIGatewayClient({ endpoint: url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, maxAttempts: 3 });
  const pets = endpoints.apis.find((a) => a.name === "Pets API");
  if (!pets) throw new Error("the sandbox has no 'Pets API'");
  const plan = await timed(
    `usage plan '${PLAN_NAME}' (${QUOTA}/DAY) on the Pets API's prod stage`,
    () => "CreateUsagePlan",
    async () =>
      apigw.send(
        new CreateUsagePlanCommand({
          name: PLAN_NAME,
          description: "Notifications benchmark.",
          apiStages: [{ apiId: pets.id, stage: "prod" }],
          throttle: { rateLimit: 1_000, burstLimit: 200 },
          quota: { limit: QUOTA, period: "DAY" },
        }),
      ),
  );
  const planId = plan.id!;

  // 3. One real key per user, in the plan: ImportApiKeys with the file's UsagePlanIds column.
  const runId = Date.now().toString(36);
  const users: BenchUser[] = Array.from({ length: USERS }, (_, i) => ({
    userId: `nb-${runId}-${i}`,
    email: `nb-${runId}-${i}@example.com`,
    keyId: "",
    value: randomBytes(30)
      .toString("base64url")
      .replace(/[^A-Za-z0-9]/g, "0"),
  }));
  const imports = await timed(
    `keys: ${int(USERS)} through ImportApiKeys (csv, ${IMPORT_CHUNK} a file, into the plan)`,
    (n: number) => `${n} ImportApiKeys calls`,
    async () => {
      let calls = 0;
      for (let i = 0; i < users.length; i += IMPORT_CHUNK) {
        const chunk = users.slice(i, i + IMPORT_CHUNK);
        const csv = ["Name,Key,Enabled,UsagePlanIds", ...chunk.map((u) => `default,${u.value},true,${planId}`)].join("\n");
        const out = await apigw.send(new ImportApiKeysCommand({ body: Buffer.from(csv), format: "csv", failOnWarnings: true }));
        calls++;
        if (out.ids?.length !== chunk.length) throw new Error(`ImportApiKeys returned ${out.ids?.length} ids for ${chunk.length} keys`);
        chunk.forEach((u, j) => (u.keyId = out.ids![j]!));
      }
      return calls;
    },
  );
  void imports;

  // 4. The portal's rows for each user, as sign-up, createKey and subscribe leave them.
  const doc = DynamoDBDocument.from(new DynamoDBClient({ endpoint: url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const tableName = endpoints.table;
  const rows = users.flatMap((u) => userRows(u, { planId, apiStage: `${pets.id}/prod` }));
  await timed(
    `rows: ${int(rows.length)} (USER, KEY#, SUB#, PROFILE) into '${tableName}' (BatchWrite, ${SEED_CONCURRENCY} at a time)`,
    () => `${int(rows.length / USERS)} rows a user`,
    () => batchWrite(doc, tableName, rows),
  );

  // 5. Webhook endpoints for a share of the users (spread evenly through the list).
  const withWebhook = users.filter((_, i) => Math.floor(((i + 1) * webhookUsers) / USERS) > Math.floor((i * webhookUsers) / USERS));
  await timed(
    `webhook endpoints: ${int(withWebhook.length)} (createEndpoint, ${ENDPOINT_CONCURRENCY} at a time) → ${receiverUrl}`,
    () => "loopback receiver, answers 200",
    () =>
      pool(withWebhook, ENDPOINT_CONCURRENCY, async (u) => {
        const { secret } = await createEndpoint({ id: u.userId, email: u.email }, { url: receiverUrl });
        u.webhook = { secret };
        secretOf.set(u.keyId, secret);
      }),
  );
  console.log(`\n${table_(setup)}\n`);

  // 6. Usage: each key past 80 %, its calls one after another, CONCURRENCY keys at a time.
  const invoke = `${url}/restapis/${pets.id}/prod/_user_request_/pets`;
  const statuses: Record<string, number> = {};
  const callMs: number[] = [];
  let done = step(`usage: ${int(USERS * CALLS_PER_KEY)} data-plane calls (GET /pets with x-api-key), ${CONCURRENCY} in flight`);
  const usageStarted = performance.now();
  await pool(users, CONCURRENCY, async (u) => {
    for (let c = 0; c < CALLS_PER_KEY; c++) {
      const t = performance.now();
      const response = await fetch(invoke, { headers: { "x-api-key": u.value } });
      await response.arrayBuffer();
      callMs.push(performance.now() - t);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status !== 200) throw new Error(`a data-plane call answered ${response.status}`);
    }
    u.crossedAt = Date.now();
  });
  const usageMs = performance.now() - usageStarted;
  done();
  console.log(
    `    ${int(callMs.length)} calls in ${seconds(usageMs)}: ${rate(callMs.length, usageMs)} calls/s, p50 ${ms(percentile(callMs, 50))}, p95 ${ms(percentile(callMs, 95))}, ` +
      `statuses ${JSON.stringify(statuses)}.\n`,
  );

  // 7. The collector, once: notices queued.
  const outboxCount = async () => {
    let count = 0;
    for (let shard = 0; shard < OUTBOX_SHARDS; shard++) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "GSI1",
            KeyConditionExpression: "GSI1PK = :pk",
            ExpressionAttributeValues: { ":pk": outboxIndex(shard, "", "", "").GSI1PK },
            Select: "COUNT",
            ExclusiveStartKey: start,
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return count;
  };
  await resetCalls();
  tally.take();
  done = step("collectUsage #1 (GetUsage per plan, then each user: lease, usage rows, quota notices, profile)");
  const collectStarted = Date.now();
  const collectT = performance.now();
  const collected = await collectUsage(Date.now());
  const collectMs = performance.now() - collectT;
  done();
  const collectOps = tally.take();
  const collectCalls = { lib: gateway.getControlPlaneStats(), sandbox: await sandboxCalls() };
  const queued = await outboxCount();
  console.log(
    `    ${collected.plans} plan(s), ${int(collected.users)} users, ${int(collected.keys)} usage rows, ${collected.failed.length} failed; ` +
      `${int(queued)} notices queued in ${seconds(collectMs)}: ${rate(queued, collectMs)} notices/s (${((collectMs / Math.max(1, collected.users)) * 1).toFixed(1)} ms a user).\n` +
      `    Control-plane calls (lib/apigateway's count): ${JSON.stringify(collectCalls.lib.calls)}; the sandbox counted ${JSON.stringify(collectCalls.sandbox)}.\n` +
      `    Where the time goes (DynamoDB calls are one at a time here, so their sum is most of the run):\n${indent(table(tallyRows(collectOps, collectMs, { unit: "user", count: collected.users })))}\n`,
  );

  // 8. The notifier, run after run without the schedule's wait, until nothing is due.
  await resetCalls();
  const runs: { run: number; ms: number; expanded: number; email: number; webhook: number; retried: number; failed: number; skipped: number }[] = [];
  const options = { batch: BATCH, emailsPerSecond: EMAIL_RATE, ...(SENDERS ? { concurrency: SENDERS } : {}) };
  done = step(
    `runNotifier (batch ${BATCH}, ${SENDERS ? `${SENDERS} at a time` : "its default concurrency"}) back to back until nothing is due (at most ${MAX_RUNS} runs)`,
  );
  const notifyStarted = performance.now();
  const notifierStartedAt = Date.now();
  const notifyOps = new Map<string, { count: number; ms: number }>();
  for (let r = 1; r <= MAX_RUNS; r++) {
    const before = { email: countAll(emailAt), webhook: countAll(webhookAt) };
    const t = performance.now();
    const report = await runNotifier(new Date(), options);
    const runMs = performance.now() - t;
    for (const [op, v] of tally.take()) {
      const entry = notifyOps.get(op) ?? { count: 0, ms: 0 };
      notifyOps.set(op, { count: entry.count + v.count, ms: entry.ms + v.ms });
    }
    const email = countAll(emailAt) - before.email;
    const webhook = countAll(webhookAt) - before.webhook;
    runs.push({ run: r, ms: runMs, expanded: report.expanded, email, webhook, ...pick(report) });
    const idle = report.expanded === 0 && report.sent + report.retried + report.failed + report.skipped === 0;
    if (idle) break;
  }
  const notifyMs = performance.now() - notifyStarted;
  done();
  const notifyCalls = { lib: gateway.getControlPlaneStats(), sandbox: await sandboxCalls() };
  const emails = countAll(emailAt);
  const webhooks = countAll(webhookAt);
  const working = runs.filter((r) => r.expanded || r.email || r.webhook || r.retried || r.failed || r.skipped);
  const expandedTotal = runs.reduce((n, r) => n + r.expanded, 0);
  console.log(
    `    ${working.length} run(s) with work (+${runs.length - working.length} idle to confirm), ${seconds(notifyMs)} in all: ` +
      `${int(expandedTotal)} notices expanded, ${int(emails)} emails and ${int(webhooks)} webhooks delivered.\n` +
      `    Outbox drained at ${rate(expandedTotal, notifyMs)} notices/s (expanded and delivered); deliveries ${rate(emails + webhooks, notifyMs)}/s ` +
      `(email ${rate(emails, notifyMs)}/s, webhook ${rate(webhooks, notifyMs)}/s, both channels sharing the same runs).\n` +
      `    Control-plane calls by the notifier: ${Object.values(notifyCalls.lib.calls).reduce((a, b) => a + b, 0)} (lib/apigateway's count ${JSON.stringify(notifyCalls.lib.calls)}, the sandbox's ${JSON.stringify(notifyCalls.sandbox)}).\n`,
  );
  console.log(
    indent(
      table(
        runs.map((r) => ({
          run: r.run,
          time: seconds(r.ms),
          expanded: r.expanded,
          email: r.email,
          webhook: r.webhook,
          retried: r.retried,
          failed: r.failed,
          skipped: r.skipped,
        })),
      ),
    ),
  );
  console.log(
    `\n    Where the notifier's time goes (calls overlap when it sends several at a time; the rest is rendering, signing, the webhook POSTs and the receiver in this process):\n` +
      `${indent(table(tallyRows(notifyOps, notifyMs, { unit: "delivery", count: emails + webhooks })))}\n`,
  );

  // 9. Idempotency: the collector again, right away.
  await resetCalls();
  done = step("collectUsage #2 right after (same usage: must queue nothing)");
  const againT = performance.now();
  const again = await collectUsage(Date.now());
  const againMs = performance.now() - againT;
  done();
  tally.take();
  const queuedAgain = await outboxCount();
  const againCalls = gateway.getControlPlaneStats();
  console.log(
    `    ${int(again.users)} users, ${int(again.keys)} usage rows, ${again.failed.length} failed in ${seconds(againMs)}: ${queuedAgain} new notices queued ` +
      `(control-plane calls ${JSON.stringify(againCalls.calls)}).\n`,
  );

  // 10. Read back the notices and deliveries (after the timings): when each notice was queued, each delivery's state.
  done = step("read back notice and delivery rows (Scan, 4 segments)");
  const readBack = await scanNotifications(doc, tableName);
  done();

  // 11. Per key: crossing → delivery.
  const webhookIdOf = new Map([...webhookAt.keys()].map((id) => [id.split(":")[1] ?? "", id]));
  const queuedAt = new Map<string, number>();
  for (const n of readBack.notices) {
    const keyId = n.noticeId.split(":")[1] ?? "";
    if (n.noticeId.startsWith("quota:") && !n.silent) queuedAt.set(keyId, Date.parse(n.queuedAt));
  }
  const e2e = { email: [] as number[], webhook: [] as number[] };
  const fromCollection: number[] = [];
  const crossedToQueued: number[] = [];
  const queuedToDelivered: number[] = [];
  const fromNotifier: number[] = [];
  let missing = 0;
  let duplicates = 0;
  for (const u of users) {
    const q = queuedAt.get(u.keyId);
    if (q !== undefined) crossedToQueued.push(q - u.crossedAt!);
    const targets: ["email" | "webhook", number[] | undefined][] = [["email", emailAt.get(u.email)]];
    if (u.webhook) targets.push(["webhook", webhookAt.get(webhookIdOf.get(u.keyId) ?? "")]);
    for (const [channel, times] of targets) {
      if (!times?.length) {
        missing++;
        continue;
      }
      if (times.length > 1) duplicates++;
      const at = times[0]!;
      e2e[channel].push(at - u.crossedAt!);
      fromCollection.push(at - collectStarted);
      if (q !== undefined) queuedToDelivered.push(at - q);
      fromNotifier.push(at - notifierStartedAt);
    }
  }
  const latency = [
    { measure: "crossing → delivered, email", ...spread(e2e.email) },
    { measure: "crossing → delivered, webhook", ...spread(e2e.webhook) },
    { measure: "crossing → delivered, both", ...spread([...e2e.email, ...e2e.webhook]) },
    { measure: "  crossing → notice queued", ...spread(crossedToQueued) },
    { measure: "  notice queued → delivered", ...spread(queuedToDelivered) },
    { measure: "collector start → delivered", ...spread(fromCollection) },
    { measure: "notifier start → delivered", ...spread(fromNotifier) },
  ];
  console.log(
    `\nTime from threshold crossing to delivery, per key (${int(USERS)} keys; delivered = SES accepted the email / the receiver got the webhook):\n` +
      indent(table(latency.map((l) => ({ measure: l.measure, n: l.n ?? "0", p50: l.p50 ?? "-", p95: l.p95 ?? "-", max: l.max ?? "-" })))) +
      `\n    Includes: the rest of the usage load after the key's crossing (the collector starts once every key is past 80 %, ` +
      `${seconds(collectStarted - (Math.min(...users.map((u) => u.crossedAt!)) || collectStarted))} after the first crossing), one collectUsage run, ` +
      `and the notifier runs back to back with no schedule wait.\n` +
      `    Deliveries missing: ${missing}; keys told more than once on a channel: ${duplicates}. ` +
      `Delivery rows: ${JSON.stringify(readBack.deliveryStates)}; notice rows: ${int(readBack.notices.length)} (${readBack.notices.filter((n) => n.silent).length} silent).\n`,
  );

  // 12. What a deployment adds: the schedules' waits before the collection and before the first notifier run.
  const collectorEvery = scheduleMinutes(JOBS["usage-collector"].schedule);
  const notifierEvery = scheduleMinutes(JOBS.notifier.schedule);
  const waits = (collectorEvery + notifierEvery) * 60_000;
  const longestRun = Math.max(0, ...working.map((r) => r.ms));
  const worst = waits + Math.max(0, ...fromCollection);
  console.log(
    `Deployed (derived, not measured): the collector runs every ${collectorEvery} min (${JOBS["usage-collector"].schedule}, ${JOBS["usage-collector"].timeoutMinutes} min timeout), ` +
      `the notifier every ${notifierEvery} min (${JOBS.notifier.timeoutMinutes} min timeout). A deployment adds to "collector start → delivered" ` +
      `up to ${collectorEvery} min before the collection that sees the crossing starts, and up to ${notifierEvery} min before a notifier run picks up what it queued ` +
      `(less in practice: the notifier keeps running during a long collection).\n` +
      `    Worst case ≈ ${collectorEvery} min + ${notifierEvery} min + ${seconds(Math.max(0, ...fromCollection))} = ${minutes(worst)}; ` +
      `median key ≈ ${minutes(collectorEvery * 30_000 + notifierEvery * 30_000 + percentile(fromCollection, 50))} (half of each interval + ${seconds(percentile(fromCollection, 50))}).` +
      (working.length > 1
        ? `\n    The backlog took ${working.length} notifier runs (the longest ${seconds(longestRun)}): on the ${notifierEvery}-minute schedule the next run starts while one is still busy (claims keep that safe), so the schedule adds no further wait.`
        : "") +
      (collectMs > JOBS["usage-collector"].timeoutMinutes * 60_000
        ? `\n    NOTE: the collection took longer than the collector Lambda's ${JOBS["usage-collector"].timeoutMinutes} min timeout.`
        : `\n    The collection took ${seconds(collectMs)} of the collector Lambda's ${JOBS["usage-collector"].timeoutMinutes} min timeout (${((100 * collectMs) / (JOBS["usage-collector"].timeoutMinutes * 60_000)).toFixed(0)} %), with DynamoDB calls of ~1–2 ms here.`) +
      `\n    Email here went at up to ${EMAIL_RATE}/s (BENCH_NOTIFY_EMAIL_RATE); deployed, the notifier paces it at notifications.emailsPerSecond (default 10/s, under a new SES account's 14/s): ${USERS.toLocaleString("en-US")} emails then take at least ${minutes((USERS / 10) * 1000)}.` +
      "\n",
  );

  // 13. Signatures: the first webhooks, checked on arrival with the library's own verifier.
  console.log(
    `Webhook signatures verified with standardwebhooks on arrival: ${signatures.verified} of the first ${signatures.checked}` +
      `${signatures.error ? ` (first failure: ${signatures.error})` : ""}.`,
  );
  console.log(
    `\nSummary: ${int(USERS)} keys; collectUsage queued ${int(queued)} notices in ${seconds(collectMs)} (${rate(queued, collectMs)} notices/s); ` +
      `the notifier drained them in ${working.length} run(s), ${seconds(notifyMs)} (${rate(expandedTotal, notifyMs)} notices/s, ${rate(emails + webhooks, notifyMs)} deliveries/s); ` +
      `crossing → delivered p50 ${latency[2]!.p50 ?? "-"}, p95 ${latency[2]!.p95 ?? "-"}, max ${latency[2]!.max ?? "-"} (no schedule wait); deployed worst case ≈ ${minutes(worst)}; ` +
      `2nd collection queued ${queuedAgain}; control-plane calls: notifier ${Object.values(notifyCalls.lib.calls).reduce((a, b) => a + b, 0)}, collector ${JSON.stringify(collectCalls.lib.calls)}. ` +
      `Whole run ${seconds(performance.now() - runStarted)}.\n`,
  );
}

// ---------------------------------------------------------------------------------------------

const indent = (text: string) =>
  text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
const table_ = (rows: Record<string, string>[]) => indent(table(rows));
const countAll = (map: Map<string, number[]>) => {
  let n = 0;
  for (const times of map.values()) n += times.length;
  return n;
};
const pick = (report: { retried: number; failed: number; skipped: number }) => ({ retried: report.retried, failed: report.failed, skipped: report.skipped });

/**
 * One user's rows as the portal writes them: the Auth.js user, the key createKey stores, the
 * subscription subscribe stores, and the profile lib/access/profile.ts derives from them.
 */
function userRows(u: BenchUser, target: { planId: string; apiStage: string }): object[] {
  const now = new Date().toISOString();
  const pk = userPk(u.userId);
  const key: KeyRow = { pk, sk: keySk(u.keyId), userId: u.userId, keyId: u.keyId, name: "default", hint: u.value.slice(-4), state: "active", createdAt: now };
  const sub: SubscriptionRow = {
    pk,
    sk: subSk(target.planId),
    userId: u.userId,
    planId: target.planId,
    productSlug: "notify-bench",
    productName: PLAN_NAME,
    apiStages: [target.apiStage],
    state: "active",
    createdAt: now,
    email: u.email,
  };
  const profile: Profile = {
    userId: u.userId,
    email: u.email,
    name: `Bench ${u.userId.split("-").at(-1)}`,
    joinedAt: now,
    lastSignInAt: now,
    status: "active",
    admin: false,
    ...summarizeAccess([key, sub] as unknown as Parameters<typeof summarizeAccess>[0], Date.now()),
    updatedAt: now,
  };
  return [
    {
      pk,
      sk: pk,
      type: "USER",
      id: u.userId,
      email: u.email,
      name: profile.name,
      image: null,
      emailVerified: null,
      groups: [],
      GSI1PK: `USER#${u.email}`,
      GSI1SK: `USER#${u.email}`,
    },
    key,
    sub,
    { pk, sk: PROFILE_SK, ...profile, GSI1PK: DIRECTORY_PK, GSI1SK: `${profile.updatedAt}#${u.userId}` },
  ];
}

/** BatchWrite, 25 items a request, retrying what DynamoDB leaves unprocessed. */
async function batchWrite(db: DynamoDBDocument, table: string, items: object[]): Promise<void> {
  const chunks: object[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await pool(chunks, SEED_CONCURRENCY, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item: Item as Record<string, unknown> } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt === 8) throw new Error(`DynamoDB left ${pending.length} items unprocessed after ${attempt} attempts`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt)));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}

/** Every notice and delivery row (a Scan: fine after the measurements, off any request path). */
async function scanNotifications(
  db: DynamoDBDocument,
  table: string,
): Promise<{ notices: { noticeId: string; queuedAt: string; silent?: boolean }[]; deliveryStates: Record<string, number> }> {
  const notices: { noticeId: string; queuedAt: string; silent?: boolean }[] = [];
  const deliveryStates: Record<string, number> = {};
  const SEGMENTS = 4;
  await Promise.all(
    Array.from({ length: SEGMENTS }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: SEGMENTS,
            FilterExpression: "begins_with(sk, :n) OR begins_with(sk, :d)",
            ProjectionExpression: "sk, queuedAt, silent, channel, #state",
            ExpressionAttributeNames: { "#state": "state" },
            ExpressionAttributeValues: { ":n": "NOTICE#", ":d": "DELIVERY#" },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const sk = String(item.sk);
          if (sk.startsWith("NOTICE#")) notices.push({ noticeId: sk.slice("NOTICE#".length), queuedAt: String(item.queuedAt), silent: item.silent === true });
          else {
            const label = `${String(item.channel)} ${String(item.state)}`;
            deliveryStates[label] = (deliveryStates[label] ?? 0) + 1;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return { notices, deliveryStates };
}
