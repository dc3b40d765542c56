// npm run bench -- marketplace: the AWS Marketplace listener (functions/marketplace-listener.ts,
// imported in-process as Lambda would run it) fed a generated SNS stream — shuffled, with
// redeliveries of the same MessageId, a few messages from a forged topic — against the sandbox in
// its own process with API Gateway's control-plane budget on (10 rps, burst 40). Buyers are bound
// to users first (ResolveCustomer → activation → a metered key), so transitions move real keys.
// Every control-plane call is attributed to the delivery that made it (AsyncLocalStorage + a
// middleware on lib/apigateway's client) and cross-checked with the sandbox's own count.
// Figures are reported, never judged: nothing here fails on a timing.
import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  customerIdentifiers,
  EXPECTED,
  generateStream,
  noticeKind,
  pool,
  PRODUCT_CODE,
  snsEventFor,
  snsLambdaEvent,
  startSnsSigning,
  SUBSCRIPTION_TOPIC,
  TOPIC_ARNS,
  type StreamEvent,
} from "../tests/marketplace/stream";
import { freePort, loopback, runBench, spawnSandbox, step, table, type Cleanup } from "./support";

const EVENTS = Math.max(100, Number(process.env.BENCH_MP_EVENTS ?? 5_000));
const CUSTOMERS = Math.max(10, Number(process.env.BENCH_MP_CUSTOMERS ?? 300));
const BOUND = Math.min(CUSTOMERS, Math.max(1, Number(process.env.BENCH_MP_BOUND ?? 60)));
const DUPLICATE_SHARE = 0.3;
/** Messages from a topic the listener doesn't trust, mixed in: 1 % of the stream. */
const FORGED_SHARE = 0.01;
const CONCURRENCY = 20;
const ACTIVATION_CONCURRENCY = 5;
/** A failed invocation is delivered again (as SNS retries a Lambda), up to this many more times. */
const RETRY_ROUNDS = 3;
const SEED = Number(process.env.BENCH_MP_SEED ?? 20_240_611);
const TARGET = { perTransition: 1, perDuplicate: 0 };

const KINDS = ["applied", "unchanged", "recorded", "stale", "duplicate", "rejected", "error"] as const;
type Kind = (typeof KINDS)[number];
const KIND_NOTE: Record<Kind, string> = {
  applied: "changed the subscription (key joins/leaves the plan, or a notice)",
  unchanged: "bound buyer already in that state",
  recorded: "no user yet (waits on the customer row), or no status",
  stale: "older than the buyer's newest event",
  duplicate: "MessageId already processed",
  rejected: "not from a configured topic / malformed",
  error: "handler threw (AWS delivers again)",
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const num = (value: number) => (!Number.isFinite(value) ? "-" : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : "-");
const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

interface Delivery {
  /** Undefined for a forged message. */
  event?: StreamEvent;
  lambdaEvent: unknown;
  redelivery: boolean;
}

interface Result {
  kind: Kind;
  calls: string[];
  ms: number;
}

export async function run(): Promise<void> {
  await runBench(bench, "stopping the sandbox");
}

async function bench(cleanup: Cleanup): Promise<void> {
  const forgedCount = Math.round(EVENTS * FORGED_SHARE);
  console.log(
    `\nMarketplace listener benchmark: ${EVENTS} SNS deliveries (${CUSTOMERS} customers, ${BOUND} registered, ${DUPLICATE_SHARE * 100} % redeliveries, ${forgedCount} forged, shuffled), ` +
      `${CONCURRENCY} at a time, handler in-process, sandbox in its own process with API Gateway's budget on (10 rps, burst 40).\n`,
  );

  // 1. The sandbox, seeded, and this process pointed at it (lib's clients read the endpoint when imported).
  let done = step("sandbox: start and seed (budget on, SANDBOX_SCHEDULE=off)");
  const sandbox = await spawnSandbox(await freePort(), { env: { SANDBOX_BUDGET: "on", SANDBOX_SCHEDULE: "off" } });
  cleanup.add("sandbox", () => sandbox.stop());
  const url = loopback(sandbox.url);
  const endpoints = JSON.parse(readFileSync(path.join(sandbox.stateDir, "endpoints.json"), "utf8")) as { env: Record<string, string> };
  for (const name of ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PORTICO_TABLE"]) process.env[name] = endpoints.env[name];
  process.env.AWS_ENDPOINT_URL = url;
  process.env.MARKETPLACE_TOPIC_ARNS = TOPIC_ARNS;
  // The events are signed like SNS's, with a certificate served on loopback the listener is told to trust.
  const signing = await startSnsSigning();
  cleanup.add("signing certificate server", () => signing.close());
  process.env.AWS_ENDPOINT_URL_SNS = signing.origin;
  const mp = { ...(await import("../lib/marketplace")), ...(await import("../lib/marketplace/customers")), ...(await import("../lib/db/customers")) };
  const access = { ...(await import("../lib/access")), ...(await import("../lib/access/rows")) };
  const gateway = await import("../lib/apigateway");
  const { buildCatalog } = await import("../lib/catalog/catalog");
  const { handler } = await import("../functions/marketplace-listener");
  const catalog = await buildCatalog();
  const product = catalog.products.find((p) => p.plan.productCode === PRODUCT_CODE);
  if (!product) throw new Error(`the seeded catalog has no plan with productCode ${PRODUCT_CODE}`);
  const target = { planId: product.plan.id, productSlug: product.slug, productName: product.name };
  done();

  const sandboxCalls = async (): Promise<{ calls: Record<string, number>; throttled: number }> =>
    (await fetch(`${url}/_sandbox/apigateway/calls`)).json() as Promise<{ calls: Record<string, number>; throttled: number }>;
  const resetCounters = async () => {
    gateway.resetControlPlaneStats();
    await fetch(`${url}/_sandbox/apigateway/calls`, { method: "DELETE" });
  };

  // 2. Registered buyers: a legacy token each, resolved, activated by a user of their own.
  done = step(`bind ${BOUND} buyers: mint token, ResolveCustomer, activate (one metered key each), ${ACTIVATION_CONCURRENCY} at a time`);
  await resetCounters();
  const bindStarted = performance.now();
  const registered = new Map<string, { userId: string; keyId: string }>();
  const runId = Date.now().toString(36);
  const bindFailures = await pool(
    Array.from({ length: BOUND }, (_, i) => i),
    ACTIVATION_CONCURRENCY,
    async (i) => {
      const response = await fetch(`${url}/_sandbox/marketplace/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ productCode: PRODUCT_CODE, legacy: true }),
      });
      if (response.status !== 200) throw new Error(`minting a token answered ${response.status}: ${await response.text()}`);
      const minted = (await response.json()) as { token: string; customerIdentifier: string };
      const landing = await mp.readLanding(await mp.acceptRegistrationToken(minted.token));
      if (!landing) throw new Error("the landing was not kept");
      const user = { id: `mp-bench-${runId}-${i}`, email: `mp-bench-${runId}-${i}@example.com` };
      await mp.activatePurchase(user, landing, target);
      const key = (await access.readUserAccess(user.id)).keys.find((k) => k.boundPlanId === target.planId);
      if (!key) throw new Error(`activation of ${user.id} issued no bound key`);
      registered.set(minted.customerIdentifier, { userId: user.id, keyId: key.keyId });
    },
  );
  if (bindFailures.length) throw new Error(`${bindFailures.length} activations failed: ${(bindFailures[0] as Error).message}`);
  const bindSeconds = (performance.now() - bindStarted) / 1000;
  const bindCalls = gateway.getControlPlaneStats();
  done();

  // 3. The stream: shuffled, redeliveries (some right behind their original), a few forged messages.
  const customers = [...registered.keys(), ...customerIdentifiers(CUSTOMERS - registered.size, SEED)];
  const stream = generateStream({ customers, total: EVENTS - forgedCount, duplicateShare: DUPLICATE_SHARE, seed: SEED });
  const deliveries: Delivery[] = stream.deliveries.map((d) => ({ event: d.event, lambdaEvent: snsEventFor(d.event), redelivery: d.redelivery }));
  const forgedTopic = SUBSCRIPTION_TOPIC.replace(/:\d{12}:/, ":999988887777:");
  for (let i = 0; i < forgedCount; i++) {
    const original = stream.unique[(i * 7919) % stream.unique.length]!;
    const forged = snsLambdaEvent({
      messageId: `forged-${i}-${runId}`,
      topicArn: forgedTopic,
      message: JSON.stringify({ action: "subscribe-success", "customer-identifier": original.customerIdentifier, "product-code": PRODUCT_CODE }),
      timestamp: new Date().toISOString(),
    });
    deliveries.splice(Math.floor(((i + 0.5) / forgedCount) * deliveries.length), 0, { lambdaEvent: forged, redelivery: false });
  }

  // 4. Deliver: each invocation in its own context, so its control-plane calls are its own.
  const attribution = new AsyncLocalStorage<{ calls: string[] }>();
  gateway.apigateway.middlewareStack.add(
    (next, context) => (args) => {
      attribution.getStore()?.calls.push((context.commandName ?? "Unknown").replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "benchAttributeCalls" },
  );
  const results: Result[][] = deliveries.map(() => []);
  const deliver = async (index: number) => {
    const store = { calls: [] as string[] };
    const started = performance.now();
    let kind: Kind;
    try {
      const { outcomes } = await attribution.run(store, () => handler(deliveries[index]!.lambdaEvent));
      kind = (outcomes[0] ?? "error") as Kind;
    } catch {
      kind = "error";
    }
    results[index]!.push({ kind, calls: store.calls, ms: performance.now() - started });
    return kind;
  };

  await resetCounters();
  // The listener logs one line per rejected message: counted here rather than printed 50 times.
  const warn = console.warn;
  let warnings = 0;
  console.warn = () => void warnings++;
  done = step(`deliver ${deliveries.length} messages, ${CONCURRENCY} at a time`);
  const started = performance.now();
  let failed: number[] = [];
  await pool(
    deliveries.map((_, i) => i),
    CONCURRENCY,
    async (i) => {
      if ((await deliver(i)) === "error") failed.push(i);
    },
  );
  const streamSeconds = (performance.now() - started) / 1000;
  done();
  let retried = 0;
  for (let round = 1; round <= RETRY_ROUNDS && failed.length; round++) {
    done = step(`round ${round} of redelivering ${failed.length} failed invocation${failed.length === 1 ? "" : "s"} (as SNS retries a Lambda)`);
    await sleep(1_000);
    const again = failed;
    failed = [];
    retried += again.length;
    await pool(again, CONCURRENCY, async (i) => {
      if ((await deliver(i)) === "error") failed.push(i);
    });
    done();
  }
  const totalSeconds = (performance.now() - started) / 1000;
  console.warn = warn;
  const stats = gateway.getControlPlaneStats();
  const counted = await sandboxCalls();

  // 5. Did it end where the last event per customer says?
  done = step(`check the end state of ${customers.length} customers (rows) and ${registered.size} registered buyers (subscription, plan membership)`);
  const members = new Set(await gateway.listPlanKeyIds(target.planId));
  const mismatched: string[] = [];
  let rowMismatches = 0;
  let subscriptionMismatches = 0;
  for (const customerIdentifier of customers) {
    const last = stream.last.get(customerIdentifier);
    const expected = last && EXPECTED[last.action];
    const row = await mp.readCustomer(mp.cidKey(customerIdentifier));
    if (expected ? row?.status !== expected.status || row.lastEventAt !== last.timestamp : row?.status !== undefined) {
      rowMismatches++;
      mismatched.push(
        `row ${customerIdentifier}: last ${last?.action ?? "-"} @ ${last?.timestamp ?? "-"}, row ${row?.status ?? "-"} @ ${row?.lastEventAt ?? "-"}`,
      );
    }
    const bound = registered.get(customerIdentifier);
    if (!bound) continue;
    const subscription = (await access.listSubscriptions(bound.userId)).find((s) => s.planId === target.planId);
    const want = `${expected?.state ?? "awaiting"}/${expected?.notice ?? "-"}/${expected?.inPlan ? "in plan" : "out"}`;
    const got = `${subscription?.state ?? "none"}/${noticeKind(subscription?.notice) ?? "-"}/${members.has(bound.keyId) ? "in plan" : "out"}`;
    if (want !== got) {
      subscriptionMismatches++;
      mismatched.push(`buyer ${customerIdentifier}: last ${last?.action ?? "-"} wants ${want}, has ${got} (row ${row?.status ?? "-"})`);
    }
  }
  done();

  // ---------------------------------------------------------------------------------------------
  // Report

  const final = results.map((r) => r.at(-1)!);
  const all = results.flat();
  const byKind = (kind: Kind) => final.filter((r) => r.kind === kind);
  const callsOf = (rs: Result[]) => sum(rs.map((r) => r.calls.length));
  const opsOf = (rs: Result[]) => {
    const ops: Record<string, number> = {};
    for (const r of rs) for (const c of r.calls) ops[c] = (ops[c] ?? 0) + 1;
    return (
      Object.entries(ops)
        .map(([op, n]) => `${n} ${op}`)
        .join(", ") || "-"
    );
  };
  const errorAttempts = all.filter((r) => r.kind === "error");

  console.log(
    `\nOutcomes by kind (each delivery's final outcome; ${retried} invocation${retried === 1 ? "" : "s"} redelivered after an error), with the control-plane calls each kind made\n`,
  );
  console.log(
    table([
      ...KINDS.filter((k) => k !== "error").map((kind) => {
        const rs = byKind(kind);
        return {
          kind,
          deliveries: rs.length,
          share: pct(rs.length, final.length),
          "control-plane calls": callsOf(rs),
          "calls/delivery": rs.length ? num(callsOf(rs) / rs.length) : "-",
          operations: opsOf(rs),
          meaning: KIND_NOTE[kind],
        };
      }),
      {
        kind: "error",
        deliveries: errorAttempts.length,
        share: pct(errorAttempts.length, all.length),
        "control-plane calls": callsOf(errorAttempts),
        "calls/delivery": errorAttempts.length ? num(callsOf(errorAttempts) / errorAttempts.length) : "-",
        operations: opsOf(errorAttempts),
        meaning: `${KIND_NOTE.error}; ${byKind("error").length} still failing after ${RETRY_ROUNDS} rounds`,
      },
      {
        kind: "total",
        deliveries: all.length,
        share: "",
        "control-plane calls": callsOf(all),
        "calls/delivery": num(callsOf(all) / all.length),
        operations: opsOf(all),
        meaning: "",
      },
    ]),
  );

  const firsts = final.filter((_, i) => deliveries[i]!.event && !deliveries[i]!.redelivery);
  const redeliveries = results.filter((_, i) => deliveries[i]!.redelivery).flat();
  console.log(`\nBy delivery: a MessageId's first copy in the stream, or a redelivery of it (often the "stale" kind when both are in flight at once)\n`);
  console.log(
    table([
      {
        delivery: "first copy",
        deliveries: firsts.length,
        "control-plane calls": callsOf(firsts),
        "calls/delivery": num(callsOf(firsts) / Math.max(1, firsts.length)),
        outcomes: summarize(firsts),
      },
      {
        delivery: "redelivery (same MessageId)",
        deliveries: redeliveries.length,
        "control-plane calls": callsOf(redeliveries),
        "calls/delivery": num(callsOf(redeliveries) / Math.max(1, redeliveries.length)),
        outcomes: summarize(redeliveries),
      },
      {
        delivery: "forged topic",
        deliveries: forgedCount,
        "control-plane calls": callsOf(final.filter((_, i) => !deliveries[i]!.event)),
        "calls/delivery": "-",
        outcomes: summarize(final.filter((_, i) => !deliveries[i]!.event)),
      },
    ]),
  );

  const latencies = all.map((r) => r.ms);
  console.log(`\nThroughput and the control-plane budget\n`);
  console.log(
    table([
      {
        phase: `bind ${BOUND} buyers`,
        count: BOUND,
        seconds: num(bindSeconds),
        "per second": num(BOUND / bindSeconds),
        "p50 ms": "-",
        "p99 ms": "-",
        "calls (SDK commands)": sum(Object.values(bindCalls.calls)),
        "HTTP requests (retries incl.)": sum(Object.values(bindCalls.requests)),
      },
      {
        phase: "deliver the stream",
        count: deliveries.length,
        seconds: num(streamSeconds),
        "per second": num(deliveries.length / streamSeconds),
        "p50 ms": num(percentile(latencies, 50)),
        "p99 ms": num(percentile(latencies, 99)),
        "calls (SDK commands)": sum(Object.values(stats.calls)),
        "HTTP requests (retries incl.)": sum(Object.values(stats.requests)),
      },
    ]),
  );
  console.log(
    `\nThe sandbox counted ${sum(Object.values(counted.calls))} control-plane requests while the stream ran (${
      Object.entries(counted.calls)
        .map(([op, n]) => `${n} ${op}`)
        .join(", ") || "none"
    }), ${counted.throttled} of them refused by the budget; ` +
      `attributed to deliveries: ${callsOf(all)} calls. ${warnings} "rejected" log lines. Wall time including redelivery rounds: ${num(totalSeconds)} s.`,
  );

  const applied = byKind("applied");
  const perTransition = applied.length ? callsOf(applied) / applied.length : 0;
  const duplicateLike = final.filter((r) => r.kind === "duplicate" || r.kind === "stale");
  const perDuplicate = redeliveries.length ? callsOf(redeliveries) / redeliveries.length : 0;
  const perDuplicateKind = duplicateLike.length ? callsOf(duplicateLike) / duplicateLike.length : 0;
  console.log(
    `\nEnd state: ${customers.length - rowMismatches}/${customers.length} customer rows and ${registered.size - subscriptionMismatches}/${registered.size} registered buyers' subscriptions match their last event (by Timestamp).`,
  );
  if (mismatched.length)
    console.log(
      mismatched
        .slice(0, 8)
        .map((m) => `  - ${m}`)
        .join("\n") + (mismatched.length > 8 ? `\n  … and ${mismatched.length - 8} more` : ""),
    );

  console.log("\nTargets");
  console.log(
    `  control-plane calls per effective transition (applied) <= ${TARGET.perTransition}: ${num(perTransition)} (${callsOf(applied)} calls for ${applied.length} applied) — ${perTransition <= TARGET.perTransition ? "met" : "NOT met"}`,
  );
  console.log(
    `  control-plane calls per duplicate = ${TARGET.perDuplicate}: ${num(perDuplicate)} per redelivery, ${num(perDuplicateKind)} per duplicate/stale outcome — ${perDuplicate <= TARGET.perDuplicate && perDuplicateKind <= TARGET.perDuplicate ? "met" : "NOT met"}`,
  );
  console.log(`  listener throughput: ${num(deliveries.length / streamSeconds)} deliveries/s (reported, not judged)\n`);
}

function summarize(results: Result[]): string {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return (
    KINDS.filter((k) => counts[k])
      .map((k) => `${counts[k]} ${k}`)
      .join(", ") || "-"
  );
}
