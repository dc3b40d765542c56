import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Category, Channel } from "@/lib/outbox/events";
import type { Preferences } from "@/lib/notifications/preferences";
import { registerUser, startAccessSandbox } from "../access/setup";

vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));

/**
 * The notification pipeline under random sequences of actions, against the real sandbox (SES
 * mailbox, DynamoDB) and real webhook receivers: notices queued (some twice), preferences switched,
 * endpoints added, removed, switched off and on, receivers failing and recovering, test events,
 * notifier runs (two at once, and runs that crash at a random DynamoDB request), and time moving on
 * by minutes to half days. After every step the invariants of lib/notifications/invariants.ts hold
 * over the stored rows and what the receivers and the mailbox got; at the end, with receivers healthy
 * and a day and a half later, everything is settled. Failures shrink to a minimal sequence.
 *
 *   MODEL_RUNS=200 MODEL_STEPS=40 npx vitest run tests/notifications/model.test.ts
 */

const RUNS = Number(process.env.MODEL_RUNS ?? 12);
const STEPS = Number(process.env.MODEL_STEPS ?? 25);
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined;
const PATH = process.env.MODEL_PATH;

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Lib = typeof import("@/lib/notifications") &
  typeof import("@/lib/notifications/invariants") &
  typeof import("@/lib/notifications/notifier") &
  typeof import("@/lib/outbox/queue");

interface Hook {
  path: string;
  endpointId?: string;
  status: number;
  deleted: boolean;
}

/** What the world did, as seen from outside the portal. */
interface World {
  user: { id: string; email: string };
  /** The clock the notifier runs on: only moves forward, a little at every step. */
  clock: number;
  hooks: Hook[];
  noticeIds: string[];
  /** Preferences as switched, each from the clock time it was switched at. */
  prefs: { at: number; prefs: Preferences }[];
  crashes: number;
  log: string[];
}

const CATEGORIES: Category[] = ["security", "quota"];
const CHANNELS: Channel[] = ["email", "webhook"];
/** Deliveries in flight in a run that crashes: each may be sent and not recorded. */
const CRASH_CONCURRENCY = 2;
const WAITS = [60_000, 30 * 60_000, 5 * 3_600_000, 12 * 3_600_000];

describe("the notification model under random sequences of actions", () => {
  let env: Env;
  let lib: Lib;
  let receiver: Server;
  let origin: string;
  /** Every webhook request, by path. */
  const received: { path: string; webhookId: string; type: string }[] = [];
  const statusOf = new Map<string, number>();

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv, { PORTICO_EMAIL_FROM: "notices@portico.example", PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1" });
    lib = {
      ...(await import("@/lib/notifications")),
      ...(await import("@/lib/notifications/invariants")),
      ...(await import("@/lib/notifications/notifier")),
      ...(await import("@/lib/outbox/queue")),
    };
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "";
        let type = "";
        try {
          type = (JSON.parse(Buffer.concat(chunks).toString()) as { type: string }).type;
        } catch {
          type = "(not JSON)";
        }
        received.push({ path, webhookId: String(req.headers["webhook-id"]), type });
        res.writeHead(statusOf.get(path) ?? 200).end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    receiver?.close();
    await env?.stop();
  });

  const faults = (body: object | null) =>
    fetch(`${env.sandbox.url}/_sandbox/faults`, body ? { method: "PUT", body: JSON.stringify(body) } : { method: "DELETE" });

  async function emails(to: string): Promise<{ noticeId: string }[]> {
    const { messages } = (await (await fetch(`${env.sandbox.url}/_sandbox/ses/messages?to=${encodeURIComponent(to)}`)).json()) as {
      messages: { headers: { name: string; value: string }[] | Record<string, string> }[];
    };
    return messages.map((m) => {
      const headers = Array.isArray(m.headers) ? Object.fromEntries(m.headers.map((h) => [h.name.toLowerCase(), h.value])) : m.headers;
      const id = Object.entries(headers).find(([name]) => name.toLowerCase() === "x-portico-notice")?.[1];
      return { noticeId: id ?? "(no id)" };
    });
  }

  async function observed(w: World) {
    const byPath = new Map(w.hooks.map((h) => [h.path, h.endpointId]));
    return {
      webhooks: received.filter((r) => byPath.has(r.path)).map((r) => ({ endpointId: byPath.get(r.path) ?? "?", webhookId: r.webhookId, type: r.type })),
      emails: await emails(w.user.email),
      unrecorded: w.crashes * CRASH_CONCURRENCY,
    };
  }

  const prefsAt = (w: World) => (createdAt: string) => {
    const t = Date.parse(createdAt);
    return [...w.prefs].reverse().find((p) => p.at <= t)!.prefs;
  };

  async function checkAll(w: World, settled = false) {
    const snapshot = await lib.readNotifySnapshot(w.user.id);
    const problems = [
      ...lib.checkStored(snapshot),
      ...lib.checkObserved(snapshot, await observed(w)),
      ...(settled ? lib.checkSettled(snapshot, prefsAt(w)) : []),
    ];
    expect(problems, `after:\n  ${w.log.join("\n  ")}`).toEqual([]);
  }

  // -------------------------------------------------------------------------------------------
  // The actions.

  type Act = { label: string; run: (w: World) => Promise<void> };
  const act = (label: string, run: (w: World) => Promise<void>): Act => ({ label, run });

  const queue = (again: boolean) =>
    act(again ? "queue(same id again)" : "queue", async (w) => {
      const id = again && w.noticeIds.length ? w.noticeIds.at(-1)! : `n-${randomUUID().slice(0, 8)}`;
      const first = !w.noticeIds.includes(id);
      const queued = await lib.queueNotice({
        id,
        type: "key.created",
        userId: w.user.id,
        at: new Date(w.clock).toISOString(),
        data: { keyId: id, keyName: "k", keyHint: "abcd" },
      });
      expect(queued, `queueing ${id} ${first ? "the first time" : "again"}`).toBe(first);
      if (first) w.noticeIds.push(id);
    });

  const quota = act("queue(quota)", async (w) => {
    const id = `q-${randomUUID().slice(0, 8)}`;
    w.noticeIds.push(id);
    await lib.queueNotice({
      id,
      type: "quota.threshold",
      userId: w.user.id,
      at: new Date(w.clock).toISOString(),
      data: {
        keyId: "k1",
        keyName: "prod",
        keyHint: "abcd",
        planId: "p",
        productName: "Pets",
        threshold: 80,
        used: 8,
        limit: 10,
        period: "DAY",
        resetsAt: new Date(w.clock + 86_400_000).toISOString(),
      },
    });
  });

  const setPref = (channel: Channel, category: Category, on: boolean) =>
    act(`pref(${channel}.${category}=${on})`, async (w) => {
      const prefs = await lib.updatePreferences(w.user.id, { [channel]: { [category]: on } });
      w.prefs.push({ at: w.clock, prefs });
    });

  const addHook = (status: number) =>
    act(`addHook(${status})`, async (w) => {
      if (w.hooks.filter((h) => !h.deleted).length >= 3) return;
      const path = `/h/${randomUUID().slice(0, 8)}`;
      statusOf.set(path, status);
      const { endpoint } = await lib.createEndpoint(w.user, { url: `${origin}${path}` });
      w.hooks.push({ path, endpointId: endpoint.id, status, deleted: false });
    });

  const onHook = (label: string, fn: (w: World, hook: Hook) => Promise<void>) => (pick: number) =>
    act(`${label}(#${pick})`, async (w) => {
      const live = w.hooks.filter((h) => !h.deleted);
      if (!live.length) return;
      await fn(w, live[pick % live.length]!);
    });

  const setStatus = (status: number) =>
    onHook(`hookAnswers${status}`, async (_w, hook) => {
      hook.status = status;
      statusOf.set(hook.path, status);
    });
  const deleteHook = onHook("deleteHook", async (w, hook) => {
    await lib.deleteEndpoint(w.user, hook.endpointId!);
    hook.deleted = true;
  });
  const switchHook = (enabled: boolean) =>
    onHook(enabled ? "enableHook" : "disableHook", (w, hook) => lib.changeEndpoint(w.user, hook.endpointId!, { enabled }).then(() => undefined));
  const testHook = onHook("testEvent", (w, hook) => lib.sendTestEvent(w.user, hook.endpointId!).then(() => undefined));

  const run = act("run", async (w) => void (await lib.runNotifier(new Date(w.clock))));
  const runTwice = act("run×2", async (w) => void (await Promise.all([lib.runNotifier(new Date(w.clock)), lib.runNotifier(new Date(w.clock))])));
  const crash = (pass: number) =>
    act(`crashRun(after ${pass} requests)`, async (w) => {
      await faults({ dynamodb: { passNext: pass, errorNext: 1_000_000 } });
      const crashed = await lib.runNotifier(new Date(w.clock), { concurrency: CRASH_CONCURRENCY }).then(
        () => false,
        () => true,
      );
      await faults(null);
      if (crashed) w.crashes += 1;
    });
  const wait = (ms: number) => act(`wait(${ms / 60_000} min)`, async (w) => void (w.clock += ms));

  const action: fc.Arbitrary<Act> = fc.oneof(
    { weight: 4, arbitrary: fc.boolean().map((again) => queue(again)) },
    { weight: 1, arbitrary: fc.constant(quota) },
    // Mostly switching off: that is what the invariants can catch being ignored.
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...CHANNELS), fc.constantFrom(...CATEGORIES), fc.constantFrom(false, false, true))
        .map(([c, k, on]) => setPref(c, k, on)),
    },
    { weight: 2, arbitrary: fc.constantFrom(200, 500).map(addHook) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(200, 500), fc.nat(5)).map(([s, i]) => setStatus(s)(i)) },
    { weight: 1, arbitrary: fc.nat(5).map(deleteHook) },
    { weight: 1, arbitrary: fc.tuple(fc.boolean(), fc.nat(5)).map(([on, i]) => switchHook(on)(i)) },
    { weight: 1, arbitrary: fc.nat(5).map(testHook) },
    { weight: 4, arbitrary: fc.constant(run) },
    { weight: 1, arbitrary: fc.constant(runTwice) },
    { weight: 2, arbitrary: fc.nat(40).map(crash) },
    { weight: 3, arbitrary: fc.constantFrom(...WAITS).map(wait) },
  );

  it(`keeps every invariant after every step, and settles (${RUNS} sequences of up to ${STEPS} steps)`, async () => {
    let steps = 0;
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: STEPS, size: "max" }), async (acts) => {
        const user = await registerUser(env, "notify-model");
        sequences += 1;
        const start = Date.now();
        const w: World = { user, clock: start, hooks: [], noticeIds: [], prefs: [{ at: 0, prefs: await lib.readPreferences(user.id) }], crashes: 0, log: [] };
        try {
          for (const a of acts) {
            w.clock += 1; // every step at its own time, so "before" and "after" a switch are never the same moment
            w.log.push(a.label);
            await a.run(w);
            steps += 1;
            await checkAll(w);
          }
          // Settle: receivers healthy, then runs until every retry's time has passed.
          for (const hook of w.hooks) statusOf.set(hook.path, 200);
          for (let i = 0; i < 8; i++) {
            w.clock += 11 * 3_600_000;
            w.log.push(`(settle) run at +${i * 11} h`);
            await lib.runNotifier(new Date(w.clock));
          }
          await checkAll(w, true);
        } finally {
          await faults(null);
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH ? { path: PATH } : {}), verbose: fc.VerbosityLevel.None },
    );
    console.info(`[model] ${sequences} sequences, ${steps} steps, invariants checked after each`);
    expect(steps).toBeGreaterThan(0);
  }, 1_800_000);
});
