import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessSummary } from "@/lib/access/account";
import type { GracePeriod, PlanOffer } from "@/lib/access/types";
import { marketplaceMessage, PRODUCT_CODE, snsLambdaEvent, startSnsSigning, SUBSCRIPTION_TOPIC, TOPIC_ARNS, type SnsAction } from "../marketplace/stream";
import { registerUser, startAccessSandbox } from "./setup";

/**
 * The access model checked by its invariants (lib/access/invariants.ts) under random sequences of
 * actions, against the real sandbox: keys, subscriptions, approvals, admin actions, data-plane
 * calls, the jobs at shifted clocks, AWS Marketplace events (out of order, duplicated), any action
 * twice at once, two different actions at once (Pair: either order's outcome is accepted), and
 * control-plane faults injected part-way through an action.
 *
 * A small model (below, written independently of lib/access) says what each action should do; after
 * every step the real state must match it and every invariant must hold. A failure shrinks to a
 * minimal sequence and prints the seed: replay with MODEL_SEED=<seed> MODEL_PATH=<path>
 * MODEL_REPLAY=<replayPath> (and the same MODEL_RUNS and MODEL_STEPS).
 * `npm test` runs a bounded number of sequences; for thousands:
 *
 *   MODEL_RUNS=2000 MODEL_STEPS=40 npx vitest run tests/access/model.test.ts
 */

const RUNS = Number(process.env.MODEL_RUNS ?? 20);
const STEPS = Number(process.env.MODEL_STEPS ?? 30);
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined;
const PATH = process.env.MODEL_PATH;
/** The counterexample's replayPath (printed beside it), to replay its commands exactly. */
const REPLAY = process.env.MODEL_REPLAY;

type Slug = "free" | "pro" | "weather-basic";
type Api = "pets" | "weather";
const SLUGS: Slug[] = ["free", "pro", "weather-basic"];
const NAMES = ["laptop", "ci", "phone"];
const MAX_KEYS = 5;

// ---------------------------------------------------------------------------------------------
// The model: what a user's access should be, and what each action should do to it.

interface ModelKey {
  id: string;
  name: string;
  value: string;
  state: "active" | "retiring";
  retiresAt: number;
  /** An active key's expiry (0: none) and the lifetime it was given (a rotation carries it to the new key). */
  expiresAt?: number;
  lifetime?: number;
  /** Bought on AWS Marketplace (works with Pro only, while that purchase is active). */
  bound: boolean;
  /** Rotated without grace or revoked: deleted at once, or left for the sweeper if API Gateway failed part-way. */
  vanishing?: boolean;
  /** Disabled in API Gateway (followed from what happened, for keys on their way out). */
  disabled?: boolean;
}

type MarketplaceState = "awaiting" | "active" | "failed" | "ended";

interface Model {
  status: "active" | "disabled" | "deleted";
  keys: ModelKey[];
  /** Portal subscriptions; `replaces`: the plans a pending switch ends when approved. */
  subs: Map<Slug, { state: "active" | "pending" | "rejected"; replaces: Slug[] }>;
  /** Keys that no longer exist (revoked, swept, deleted with the account): their calls must fail. */
  dead: ModelKey[];
  /** The Pro purchase on AWS Marketplace: its state and the newest event's time; "gone" once its row is replaced or removed. */
  marketplace?: { state: MarketplaceState | "gone"; newest: number; customerIdentifier: string; purchasedAt: number };
  /** What API Gateway counted: slug → day → requests, over every key the user ever held. */
  usage: Map<Slug, Map<string, number>>;
}

const newModel = (): Model => ({ status: "active", keys: [], dead: [], subs: new Map(), usage: new Map() });

/** Keys leave the model here, so that calls with them are still made (and must fail). */
function bury(m: Model, gone: (k: ModelKey) => boolean): void {
  m.dead.push(...m.keys.filter(gone));
  m.keys = m.keys.filter((k) => !gone(k));
}

interface Target {
  planId: string;
  productSlug: string;
  productName: string;
  approvalRequired: boolean;
  apiStages: { apiId: string; stage: string }[];
}

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;

/** What the world around the model needs: the sandbox, the catalog and the user under test. */
interface World {
  env: Env;
  user: { id: string; email: string };
  targets: Record<Slug, Target>;
  stagesOf: Record<Slug, string[]>;
  apiStage: Record<Api, string>;
  slugOf: Map<string, Slug>;
  /** The clock views are read at: moves ≥ 11 s per check so each check reads API Gateway afresh. */
  viewClock: number;
  log: string[];
  /** Each step's action and mode, for the run's summary. */
  kinds: string[];
}

const isMarketplaceLive = (m: Model) => m.marketplace?.state === "awaiting" || m.marketplace?.state === "active";

/** Portal plans the user holds that cover one of `slug`'s stages (a key holds one plan per stage). */
function conflicts(m: Model, w: World, slug: Slug): Slug[] {
  const wanted = new Set(w.stagesOf[slug]);
  return [...m.subs].filter(([s, sub]) => s !== slug && sub.state === "active" && w.stagesOf[s].some((st) => wanted.has(st))).map(([s]) => s);
}

/** What subscribing to `slug` should do now (compared with what lib offers the UI). */
function expectedOffer(m: Model, w: World, slug: Slug): PlanOffer {
  const sub = m.subs.get(slug);
  if (sub && sub.state !== "rejected") return { kind: "held", state: sub.state };
  if (slug === "pro" && m.marketplace && m.marketplace.state !== "gone") {
    if (m.marketplace.state === "awaiting" || m.marketplace.state === "active") return { kind: "held", state: m.marketplace.state, source: "marketplace" };
  }
  const ends = conflicts(m, w, slug);
  const approval = w.targets[slug].approvalRequired;
  if (!ends.length) return { kind: "subscribe", approval };
  return { kind: "switch", approval, ends: ends.map((s) => ({ planId: w.targets[s].planId, productName: w.targets[s].productName })) };
}

/** The plan a key's call to `api` is counted in, or undefined when the key can't call it (403). */
function planFor(m: Model, w: World, key: ModelKey, api: Api): Slug | undefined {
  if (m.status !== "active" || key.disabled) return undefined;
  if (key.bound) return m.marketplace?.state === "active" && w.stagesOf.pro.includes(w.apiStage[api]) ? "pro" : undefined;
  return [...m.subs].find(([slug, sub]) => sub.state === "active" && w.stagesOf[slug].includes(w.apiStage[api]))?.[0];
}

/** The plans a live key should be in, by the model. */
function plansOf(m: Model, w: World, key: ModelKey): string[] {
  if (key.bound) return m.marketplace?.state === "active" ? [w.targets.pro.planId] : [];
  return [...m.subs].filter(([, sub]) => sub.state === "active").map(([slug]) => w.targets[slug].planId);
}

const allowance = (m: Model) => m.keys.filter((k) => !k.bound && k.state === "active").length;

// ---------------------------------------------------------------------------------------------
// Actions: what the real system is asked, what the model expects, and how the model moves.

type Outcome = "ok" | "conflict" | "not_found" | "forbidden";
/** One outcome, or several when the model can't tell which happened (a key on its way out may already be gone). */
type Expected = Outcome | Outcome[];
const outcomes = (expected: Expected): Outcome[] => (Array.isArray(expected) ? expected : [expected]);
/** For actions on a key that was revoked or rotated without grace: it may be gone already. */
const orGone = (m: Model, key: ModelKey | undefined, expected: Outcome): Expected =>
  key?.vanishing && m.keys.includes(key) ? [expected, "not_found"] : expected;

interface Action<R = unknown> {
  label: string;
  /** Whether the action makes sense now (e.g. a Marketplace event needs a purchase). */
  precondition?(m: Model): boolean;
  /** What the action is about, chosen from the state it starts from (a key by index, the plans a switch names). */
  prepare?(m: Model, w: World): void;
  expected(m: Model, w: World): Expected;
  run(w: World, m: Model): Promise<R>;
  /** `concurrent`: it ran beside another action (a Pair), whose changes it may have half-seen. */
  apply(m: Model, w: World, result: R, concurrent?: boolean): void;
  /** Each success counts (a data-plane call made twice is two calls), rather than one for all. */
  applyEach?: boolean;
  /** After giving up part-way under faults: "retry" runs it again (as a user, admin or AWS would). */
  recover?: "retry";
}

const standing = (m: Model): Expected => (m.status === "deleted" ? "not_found" : m.status === "disabled" ? "forbidden" : "ok");
const pick = <T>(items: T[], index: number): T | undefined => (items.length ? items[index % items.length] : undefined);

const DAY = 86_400_000;

const createKey = (name: string, expiryDays = 0): Action<{ key: { id: string }; value: string }> => ({
  label: `createKey(${name}${expiryDays ? `, expires in ${expiryDays}d` : ""})`,
  expected: (m) => {
    if (standing(m) !== "ok") return standing(m);
    if (allowance(m) >= MAX_KEYS) return "conflict";
    return m.keys.some((k) => !k.bound && k.state === "active" && k.name === name) ? "conflict" : "ok";
  },
  run: (w) => w.env.lib.createKey(w.user, name, expiryDays ? { expiresInDays: expiryDays } : {}),
  apply: (m, _w, r) =>
    void m.keys.push({
      id: r.key.id,
      name,
      value: r.value,
      state: "active",
      retiresAt: 0,
      bound: false,
      ...(expiryDays ? { expiresAt: Date.now() + expiryDays * DAY, lifetime: expiryDays * DAY } : {}),
    }),
});

/** The key an action acts on: chosen by index from the state it starts from, then followed by id (a concurrent create doesn't shift it). */
function keyChooser(index: number, from: (m: Model) => ModelKey[] = (m) => m.keys) {
  let id: string | undefined;
  return {
    prepare: (m: Model) => void (id = pick(from(m), index)?.id),
    in: (m: Model) => from(m).find((k) => k.id === id),
    id: () => id ?? "nokey",
  };
}

const rotateKey = (index: number, grace: GracePeriod): Action<{ key: { id: string }; value: string }> => {
  const key = keyChooser(index);
  return {
    label: `rotateKey(#${index}, ${grace})`,
    prepare: key.prepare,
    expected: (m) => {
      const target = key.in(m);
      if (!target || m.status === "deleted") return "not_found";
      if (target.state !== "active") return orGone(m, target, "conflict");
      return m.status === "disabled" ? "forbidden" : "ok";
    },
    run: (w) => w.env.lib.rotateKey(w.user, key.id(), grace),
    apply: (m, _w, r) => {
      const old = key.in(m)!;
      const now = Date.now();
      old.state = "retiring";
      // It stops at the end of its grace period, or at its expiry if that comes first.
      old.retiresAt = Math.min(now + (grace === "1h" ? 3_600_000 : 0), old.expiresAt || Infinity);
      old.vanishing = grace === "none";
      // The replacement gets the same lifetime from now.
      const carried = old.expiresAt && old.lifetime ? { expiresAt: now + old.lifetime, lifetime: old.lifetime } : {};
      Object.assign(old, { expiresAt: 0, lifetime: 0 });
      m.keys.push({ id: r.key.id, name: old.name, value: r.value, state: "active", retiresAt: 0, bound: old.bound, ...carried });
    },
  };
};

const renameKey = (index: number, name: string): Action => {
  const key = keyChooser(index);
  return {
    label: `renameKey(#${index}, ${name})`,
    prepare: key.prepare,
    expected: (m) => {
      const target = key.in(m);
      if (!target || m.status === "deleted") return "not_found";
      if (m.status === "disabled") return orGone(m, target, "forbidden");
      if (target.name === name) return orGone(m, target, "ok");
      return orGone(m, target, m.keys.some((k) => k !== target && !k.bound && k.state === "active" && k.name === name) ? "conflict" : "ok");
    },
    run: (w) => w.env.lib.renameKey(w.user, key.id(), name),
    apply: (m) => void (key.in(m)!.name = name),
  };
};

const revokeKey = (index: number): Action => {
  const key = keyChooser(index);
  return {
    label: `revokeKey(#${index})`,
    prepare: key.prepare,
    expected: (m) => {
      const target = key.in(m);
      if (!target || m.status === "deleted") return "not_found";
      return orGone(m, target, target.bound && target.state === "active" && isMarketplaceLive(m) ? "conflict" : "ok");
    },
    run: (w) => w.env.lib.revokeKey(w.user.id, key.id()),
    // Disabled at once; deleted now, or by the sweeper if API Gateway failed after disabling it.
    apply: (m) => void Object.assign(key.in(m)!, { state: "retiring", retiresAt: Date.now(), vanishing: true, disabled: true, expiresAt: 0, lifetime: 0 }),
  };
};

/** The owner sets (`days`) or clears (0) a key's expiry: only an active portal key may have one. */
const setExpiry = (index: number, days: number): Action => {
  const key = keyChooser(index);
  return {
    label: `setExpiry(#${index}, ${days ? `${days}d` : "none"})`,
    prepare: key.prepare,
    expected: (m) => {
      const target = key.in(m);
      if (!target || m.status === "deleted") return "not_found";
      if (m.status === "disabled") return orGone(m, target, "forbidden");
      return orGone(m, target, target.bound || target.state !== "active" ? "conflict" : "ok");
    },
    run: (w) => w.env.lib.setKeyExpiry(w.user, key.id(), days ? { expiresInDays: days } : { expiresAt: null }),
    apply: (m) => void Object.assign(key.in(m)!, days ? { expiresAt: Date.now() + days * DAY, lifetime: days * DAY } : { expiresAt: 0, lifetime: 0 }),
  };
};

/**
 * Subscribes as the dashboard does: naming the plans lib's offer (on the page the user saw) says a
 * switch ends. `stale`: a page that missed one of them — refused, nothing changes. If the user's
 * plans changed meanwhile (a concurrent action), what was named decides, as on a stale page.
 */
const subscribe = (slug: Slug, stale = false): Action => {
  let named: string[] = [];
  return {
    label: `${stale ? "staleSwitch" : "subscribe"}(${slug})`,
    prepare: (m, w) => {
      const offer = expectedOffer(m, w!, slug);
      named = offer.kind === "switch" ? offer.ends.slice(stale ? 1 : 0).map((e) => e.planId) : [];
    },
    expected: (m, w) => {
      if (standing(m) !== "ok") return standing(m);
      const offer = expectedOffer(m, w, slug);
      if (offer.kind === "blocked") return "conflict";
      return offer.kind === "switch" && offer.ends.some((e) => !named.includes(e.planId)) ? "conflict" : "ok";
    },
    run: (w) => w.env.lib.subscribe(w.user, w.targets[slug], named.length ? { ends: named } : {}),
    apply: (m, w) => {
      const offer = expectedOffer(m, w, slug);
      if (offer.kind === "held" || offer.kind === "blocked") return;
      if (offer.kind === "switch" && !offer.approval) for (const s of conflicts(m, w, slug)) m.subs.delete(s);
      if (slug === "pro" && m.marketplace) m.marketplace.state = "gone"; // the portal takes the plan whose purchase ended
      const replaces = offer.kind === "switch" ? conflicts(m, w, slug) : [];
      m.subs.set(slug, { state: offer.approval ? "pending" : "active", replaces: offer.approval ? replaces : [] });
    },
  };
};

/** A switch confirmed on a page that missed one of the plans it ends: refused, nothing changes. */
const staleSwitch = (slug: Slug): Action => subscribe(slug, true);

const unsubscribe = (slug: Slug): Action => ({
  label: `unsubscribe(${slug})`,
  expected: (m) => {
    if (m.subs.has(slug)) return "ok";
    if (slug === "pro" && m.marketplace && m.marketplace.state !== "gone") return isMarketplaceLive(m) ? "conflict" : "ok";
    return "not_found";
  },
  run: (w) => w.env.lib.unsubscribe(w.user.id, w.targets[slug].planId),
  apply: (m) => {
    if (m.subs.has(slug)) m.subs.delete(slug);
    else if (m.marketplace) m.marketplace.state = "gone";
  },
});

const decide = (slug: Slug, decision: "approve" | "reject"): Action => ({
  label: `admin.${decision}(${slug})`,
  expected: (m, w) => {
    const sub = m.subs.get(slug);
    if (!sub || sub.state !== "pending") return "not_found";
    if (decision === "reject") return "ok";
    // Plans taken since the request that it didn't name: the admin must ask for a new request.
    return conflicts(m, w, slug).some((s) => !sub.replaces.includes(s)) ? "conflict" : "ok";
  },
  run: (w) =>
    w.env.lib.decideSubscription(w.user.id, w.targets[slug].planId, decision, w.targets[slug], decision === "reject" ? "Not this quarter" : undefined),
  apply: (m, w) => {
    if (decision === "reject") return void m.subs.set(slug, { state: "rejected", replaces: [] });
    for (const s of conflicts(m, w, slug)) m.subs.delete(s);
    m.subs.set(slug, { state: "active", replaces: [] });
  },
});

const adminAction = (action: "disable" | "enable"): Action => ({
  label: `admin.${action}`,
  precondition: (m) => m.status !== "deleted",
  recover: "retry",
  expected: () => "ok",
  run: async (w) => (await import("@/lib/users/admin")).applyUserAction(w.user.id, action, { id: "model-admin" }),
  apply: (m) => {
    m.status = action === "disable" ? "disabled" : "active";
    // Enabling brings back active keys and rotated ones still in their grace period, never a key whose time is up.
    if (action === "enable") for (const k of m.keys) if (k.state === "active" || k.retiresAt > Date.now()) k.disabled = false;
  },
});

const deleteAccount = (): Action => ({
  label: "admin.deleteAccount",
  recover: "retry",
  expected: () => "ok",
  run: (w) => w.env.lib.removeAccount({ ...w.user, userPoolId: w.env.seeded.cognito.userPoolId }),
  apply: (m) => {
    m.status = "deleted";
    bury(m, () => true);
    m.subs.clear();
    m.marketplace = undefined;
  },
});

/** A developer's app calls an API with one of the user's keys (past or present). */
const callApi = (index: number, api: Api): Action<number> => {
  const chosen = keyChooser(index, (m) => [...m.keys, ...m.dead]);
  let key: ModelKey | undefined;
  return {
    label: `call(#${index}, ${api})`,
    applyEach: true,
    precondition: (m) => m.keys.length + m.dead.length > 0,
    prepare: chosen.prepare,
    expected: (m) => ((key = chosen.in(m)) ? "ok" : "not_found"),
    run: async (w, m) => {
      const status = await w.env.callApi(api, key!.value);
      const plan = m.keys.includes(key!) ? planFor(m, w, key!, api) : undefined;
      // 429: throttled, which still means the key may call; not counted.
      const allowed = plan ? [200, 429] : [403];
      if (!allowed.includes(status)) throw new Error(`call with key ${key!.id} to ${api} answered ${status}, expected ${allowed.join(" or ")}`);
      return status;
    },
    apply: (m, w, status) => {
      const plan = m.keys.includes(key!) ? planFor(m, w, key!, api) : undefined;
      if (!plan || status !== 200) return;
      const day = new Date().toISOString().slice(0, 10);
      const byDay = m.usage.get(plan) ?? new Map<string, number>();
      m.usage.set(plan, byDay.set(day, (byDay.get(day) ?? 0) + 1));
    },
  };
};

const SHIFTS = { now: 0, "+30m": 30 * 60_000, "+2h": 2 * 3_600_000, "+8d": 8 * 86_400_000, "-2h": -2 * 3_600_000 } as const;
type Shift = keyof typeof SHIFTS;

const sweeper = (shift: Shift): Action<{ report: Awaited<ReturnType<Env["lib"]["sweepRetiredKeys"]>>; at: number }> => ({
  label: `job.keySweeper(${shift})`,
  expected: () => "ok",
  run: async (w) => {
    const at = Date.now() + SHIFTS[shift];
    return { report: await w.env.lib.sweepRetiredKeys(new Date(at), { ratePerSecond: 1_000, limit: 10_000 }), at };
  },
  apply: (m, _w, { report, at }) => {
    // Every due key goes — rotated ones at the end of their grace period, active ones at their
    // expiry — unless API Gateway failed it (then it waits for the next run).
    const due = m.keys.filter((k) => (k.state === "retiring" && k.retiresAt <= at) || (k.state === "active" && !!k.expiresAt && k.expiresAt <= at));
    const left = due.filter((k) => !report.retired.includes(k.id) && !report.failed.some((f) => f.keyId === k.id) && !report.skipped.includes(k.id));
    if (left.length) throw new Error(`the sweeper left due keys alone: ${left.map((k) => k.id)}`);
    bury(m, (k) => report.retired.includes(k.id));
  },
});

const reconciler = (): Action<Awaited<ReturnType<Env["lib"]["reconcile"]>>> => ({
  label: "job.reconciler",
  expected: () => "ok",
  run: (w) => w.env.lib.reconcile({ now: new Date(Date.now() + 15 * 60_000), ratePerSecond: 1_000 }),
  apply: (_m, w, report, concurrent) => {
    // Between steps nothing is ever left half-done (faulty steps are reconciled where they fail). Beside
    // another action, its snapshot may predate that action's changes: the invariants checked after the
    // pair are what must hold (its repairs of such phantom drift are no-ops: adding a key already there).
    if (concurrent) return;
    const mine = report.drift.filter((d) => d.userId === w.user.id);
    if (mine.length) throw new Error(`the reconciler found drift: ${JSON.stringify(mine)}`);
  },
});

const collector = (shift: Shift): Action => ({
  label: `job.usageCollector(${shift})`,
  expected: () => "ok",
  run: async () => (await import("@/lib/users/collector")).collectUsage(Date.now() + Math.min(0, SHIFTS[shift]), { ratePerSecond: 1_000 }),
  apply: () => undefined,
});

/** The user buys Pro on AWS Marketplace and lands on the portal (once per sequence). */
const buyPro = (): Action<{ customerIdentifier: string; keyId: string; value: string; purchasedAt: number }> => {
  // One purchase per sequence (a command object is run again while shrinking, with a new user).
  const minted = new WeakMap<World, Promise<{ token: string; customerIdentifier: string }>>();
  return {
    label: "marketplace.buyPro",
    precondition: (m) => !m.marketplace && m.status === "active",
    recover: "retry",
    // (Deleted: the account went while the purchase waited for the lease, in a concurrent step.)
    // A plan held through the portal is never taken over by a purchase: its keys stay (issue 15 #7).
    // Each buyPro is its own purchase: a second one while the first is live is refused (its events would apply to nothing).
    expected: (m) => {
      if (m.status === "deleted") return "not_found";
      if (m.subs.get("pro")?.state === "active") return "conflict";
      return m.marketplace && (m.marketplace.state === "awaiting" || m.marketplace.state === "active") ? "conflict" : "ok";
    },
    run: async (w) => {
      const mp = await import("@/lib/marketplace");
      const purchasedAt = Date.now();
      if (!minted.has(w))
        minted.set(
          w,
          fetch(`${w.env.sandbox.url}/_sandbox/marketplace/tokens`, { method: "POST", body: JSON.stringify({ productCode: PRODUCT_CODE, legacy: true }) }).then(
            (r) => r.json(),
          ),
        );
      const { token, customerIdentifier } = await minted.get(w)!;
      const landing = await mp.readLanding(await mp.acceptRegistrationToken(token));
      const t = w.targets.pro;
      await mp.activatePurchase(w.user, landing!, { planId: t.planId, productSlug: t.productSlug, productName: t.productName });
      const key = (await w.env.lib.readUserAccess(w.user.id)).keys.find((k) => k.boundPlanId === t.planId)!;
      return { customerIdentifier, keyId: key.keyId, value: await w.env.lib.revealKey(w.user.id, key.keyId), purchasedAt };
    },
    apply: (m, _w, r) => {
      m.subs.delete("pro"); // a pending or rejected request for Pro gives way to the purchase
      m.marketplace = { state: "awaiting", newest: 0, customerIdentifier: r.customerIdentifier, purchasedAt: r.purchasedAt };
      m.keys.push({ id: r.keyId, name: "Pro Marketplace", value: r.value, state: "active", retiresAt: 0, bound: true });
    },
  };
};

const MARKETPLACE_STATE: Partial<Record<SnsAction, MarketplaceState>> = {
  "subscribe-success": "active",
  "subscribe-fail": "failed",
  "unsubscribe-pending": "active",
  "unsubscribe-success": "ended",
};

let eventSequence = 0;

/**
 * AWS Marketplace's notification about the purchase, sent `at` seconds after it (so events arrive
 * out of order), delivered again afterwards when `redeliver` (SNS delivers at least once).
 */
const marketplaceEvent = (action: SnsAction, at: number, redeliver: boolean): Action => {
  // One message per sequence, delivered again as is when AWS would.
  const messages = new WeakMap<World, { event: ReturnType<typeof snsLambdaEvent>; sent: number }>();
  let sent = 0;
  return {
    label: `marketplace.event(${action}, t+${at}s${redeliver ? ", redelivered" : ""})`,
    precondition: (m) => !!m.marketplace,
    recover: "retry",
    expected: () => "ok",
    run: async (w, m) => {
      const { handler } = await import("@/functions/marketplace-listener");
      if (!messages.has(w)) {
        // Unique times, so "the newest event wins" has one answer.
        const time = m.marketplace!.purchasedAt + at * 1_000 + (eventSequence++ % 1_000);
        messages.set(w, {
          sent: time,
          event: snsLambdaEvent({
            messageId: randomUUID(),
            topicArn: SUBSCRIPTION_TOPIC,
            message: marketplaceMessage(action, m.marketplace!.customerIdentifier),
            timestamp: new Date(time).toISOString(),
          }),
        });
      }
      const { event } = messages.get(w)!;
      sent = messages.get(w)!.sent;
      const outcome = await handler(event);
      if (redeliver) await handler(event);
      return outcome;
    },
    apply: (m) => {
      const next = MARKETPLACE_STATE[action];
      if (!m.marketplace || !next || m.marketplace.state === "gone" || sent <= m.marketplace.newest) return;
      m.marketplace.newest = sent;
      m.marketplace.state = next;
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Commands: an action as one step, twice at once, or with control-plane faults part-way through.

type Mode = { kind: "once" } | { kind: "twice" } | { kind: "faulty"; pass: number; errors: number; throttle: boolean };

class Step implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly action: Action,
    readonly mode: Mode,
  ) {}

  check(m: Readonly<Model>): boolean {
    return this.action.precondition?.(m as Model) ?? true;
  }

  async run(m: Model, w: World): Promise<void> {
    const { action, mode } = this;
    action.prepare?.(m, w);
    const allowed = outcomes(action.expected(m, w));
    const okAllowed = allowed.includes("ok");
    const expected = allowed.join(" or ");
    w.log.push(this.toString());
    w.kinds.push(`${action.label.replace(/\(.*$/, "")}${mode.kind === "once" ? "" : mode.kind === "twice" ? " ×2" : " with faults"}`);
    if (mode.kind === "faulty")
      await w.env.faults(mode.throttle ? { throttleNext: mode.errors, passNext: mode.pass } : { errorNext: mode.errors, passNext: mode.pass });
    const attempts = mode.kind === "twice" ? [action.run(w, m), action.run(w, m)] : [action.run(w, m)];
    const results = await Promise.allSettled(attempts);
    if (mode.kind === "faulty") await w.env.faults(null);

    const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as { code?: string; message?: string }] : []));
    const describe = (e: { code?: string; message?: string }) => `${e.code ?? "error"}: ${e.message}`;
    for (const error of errors) {
      // Only the portal's own errors may come out of an action: never a crash, never a raw SDK error.
      const acceptable: string[] = [
        ...allowed.filter((o) => o !== "ok"),
        ...(!okAllowed ? [] : mode.kind === "twice" ? ["conflict", "not_found"] : mode.kind === "faulty" ? ["unavailable"] : []),
      ];
      if (!acceptable.includes(error.code ?? "")) throw new Error(`${this}: expected ${expected}, got ${describe(error)}\nsteps:\n  ${w.log.join("\n  ")}`);
    }
    if (!okAllowed && ok.length) throw new Error(`${this}: succeeded, but the model expected ${expected}\nsteps:\n  ${w.log.join("\n  ")}`);
    if (ok.length) for (const result of action.applyEach ? ok : ok.slice(0, 1)) action.apply(m, w, result);
    else if (mode.kind === "faulty" && okAllowed) {
      // Gave up part-way: whatever an undo couldn't put back, the reconciler does; some actions are simply tried again.
      await w.env.lib.reconcile({ now: new Date(Date.now() + 15 * 60_000), ratePerSecond: 1_000 });
      if (action.recover === "retry") action.apply(m, w, await action.run(w, m));
    } else if (allowed.length === 1 && okAllowed) throw new Error(`${this}: failed: ${errors.map(describe).join("; ")}\nsteps:\n  ${w.log.join("\n  ")}`);
    await checkInvariants(m, w);
  }

  toString(): string {
    const { mode } = this;
    const how =
      mode.kind === "twice"
        ? " ×2 at once"
        : mode.kind === "faulty"
          ? ` with ${mode.errors} ${mode.throttle ? "throttles" : "5xx"} after ${mode.pass} calls`
          : "";
    return `${this.action.label}${how}`;
  }
}

/**
 * Two different actions at once (say a revoke while the sweeper runs, or a switch while AWS
 * Marketplace's event arrives). Each user's changes are serialized by their lease, so the outcome
 * must be that of one order or the other: the step passes if the real state matches the model after
 * A then B, or after B then A, with each action's success or refusal as that order predicts.
 */
class Pair implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly a: Action,
    readonly b: Action,
  ) {}

  check(m: Readonly<Model>): boolean {
    return (this.a.precondition?.(m as Model) ?? true) && (this.b.precondition?.(m as Model) ?? true);
  }

  async run(m: Model, w: World): Promise<void> {
    w.log.push(this.toString());
    w.kinds.push("pair");
    // Each action picks its key, or the plans it names, from the state both start from.
    this.a.prepare?.(m, w);
    this.b.prepare?.(m, w);
    const [ra, rb] = await Promise.allSettled([this.a.run(w, m), this.b.run(w, m)]);
    const failures: string[] = [];
    for (const [first, second] of [
      [
        [this.a, ra],
        [this.b, rb],
      ],
      [
        [this.b, rb],
        [this.a, ra],
      ],
    ] as const) {
      const candidate = structuredClone(m);
      try {
        for (const [action, result] of [first, second]) {
          const allowed = outcomes(action.expected(candidate, w));
          if (result.status === "fulfilled") {
            if (!allowed.includes("ok")) throw new Error(`${action.label} succeeded, expected ${allowed.join(" or ")}`);
            action.apply(candidate, w, result.value, true);
          } else if (!(allowed as string[]).includes((result.reason as { code?: string }).code ?? "")) {
            throw new Error(`${action.label}: expected ${allowed.join(" or ")}, got ${(result.reason as Error).message}`);
          }
        }
        await checkInvariants(candidate, w);
        Object.assign(m, candidate);
        return;
      } catch (error) {
        failures.push(`${first[0].label} then ${second[0].label}: ${(error as Error).message.split("\nsteps:")[0]}`);
      }
    }
    throw new Error(`${this}: matches neither order\n  ${failures.join("\n  ")}\nsteps:\n  ${w.log.join("\n  ")}`);
  }

  toString(): string {
    return `${this.a.label} ∥ ${this.b.label}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The check after every step.

async function checkInvariants(m: Model, w: World): Promise<void> {
  const { lib } = w.env;
  const invariants = await import("@/lib/access/invariants");
  const gateway = await invariants.readGatewayState();
  const violations: { invariant: string; detail: string }[] = await invariants.accessViolations(w.user.id, gateway);
  const fail = (detail: string) => violations.push({ invariant: "model", detail });

  if (m.status !== "deleted") {
    const access = await lib.readUserAccess(w.user.id);
    if ((access.profile?.status ?? "active") !== m.status) fail(`the account is ${access.profile?.status}, the model says ${m.status}`);
    // Keys on their way out may be gone already or left to the sweeper, enabled or not: follow what happened.
    bury(m, (k) => !!k.vanishing && !access.keys.some((row) => row.keyId === k.id));
    const enabled = new Map(gateway.keys.map((k) => [k.id, k.enabled]));
    for (const k of m.keys) {
      if (k.state === "retiring") {
        if (k.vanishing && k.disabled && enabled.get(k.id)) fail(`key ${k.id}, revoked or rotated without grace, works again`);
        k.disabled = enabled.get(k.id) === false;
      } else if (m.status === "active" && enabled.get(k.id) === false) fail(`active key ${k.id} is disabled`);
    }
    // Every live key is in exactly the plans the model says (not just what lib's own rows say).
    for (const k of m.keys) {
      const actual = [...gateway.planKeys]
        .filter(([, members]) => members.has(k.id))
        .map(([planId]) => planId)
        .sort();
      const wanted = plansOf(m, w, k).sort();
      if (actual.join() !== wanted.join())
        fail(`key ${k.id} is in [${actual.map((id) => w.slugOf.get(id))}], the model says [${wanted.map((id) => w.slugOf.get(id))}]`);
    }
    const real = access.keys.map((k) => `${k.keyId}:${k.state}:${k.name}:${k.expiresAt ? "expires" : "-"}`).sort();
    const modelled = m.keys.map((k) => `${k.id}:${k.state}:${k.name}:${k.expiresAt ? "expires" : "-"}`).sort();
    if (real.join() !== modelled.join()) fail(`keys are [${real}], the model has [${modelled}]`);

    const realSubs = access.subscriptions.map((s) => `${w.slugOf.get(s.planId)}:${s.source ?? "portal"}:${s.state}`).sort();
    const modelSubs = [
      ...[...m.subs].map(([slug, s]) => `${slug}:portal:${s.state}`),
      ...(m.marketplace && m.marketplace.state !== "gone" ? [`pro:marketplace:${m.marketplace.state}`] : []),
    ].sort();
    if (realSubs.join() !== modelSubs.join()) fail(`subscriptions are [${realSubs}], the model has [${modelSubs}]`);

    // What the dashboard offers is what subscribing does (the model's own account of it).
    const summary: AccessSummary = await lib.getAccessSummary(
      w.user.id,
      SLUGS.map((s) => w.targets[s]),
    );
    for (const slug of SLUGS) {
      const offer = summary.offers[w.targets[slug].planId];
      if (offerText(offer) !== offerText(expectedOffer(m, w, slug)))
        fail(`${slug} is offered as ${JSON.stringify(offer)}, the model expects ${JSON.stringify(expectedOffer(m, w, slug))}`);
    }
    if (summary.allowance.used !== allowance(m)) fail(`the key counter says ${summary.allowance.used}, the model ${allowance(m)}`);
  }
  if (violations.length)
    throw new Error(`after ${w.log.at(-1)}:\n  ${violations.map((v) => `[${v.invariant}] ${v.detail}`).join("\n  ")}\nsteps:\n  ${w.log.join("\n  ")}`);
}

/** An offer as text, its ends in a fixed order (which plan is named first doesn't matter). */
const offerText = (offer: PlanOffer | undefined) =>
  JSON.stringify(offer?.kind === "switch" ? { ...offer, ends: [...offer.ends].sort((a, b) => a.planId.localeCompare(b.planId)) } : offer);

const viewable = (m: Model, slug: Slug) => m.subs.get(slug)?.state === "active" || (slug === "pro" && m.marketplace?.state === "active");

/**
 * usage-is-history, checked when someone looks: looking stores usage (that is how it is cached), so
 * checking it after every step would hide a lost call behind the check's own read.
 */
async function checkUsage(m: Model, w: World, slugs: Slug[]): Promise<void> {
  const { lib } = w.env;
  const invariants = await import("@/lib/access/invariants");
  const violations = [];
  for (const slug of slugs.filter((s) => m.status !== "deleted" && viewable(m, s))) {
    w.viewClock = Math.max(Date.now(), w.viewClock) + 11_000;
    const plan = w.env.catalog.products.find((p) => p.slug === slug)!.plan;
    const view = await lib.getPlanUsage(w.user.id, w.targets[slug].planId, 7, { plan, refresh: true, now: w.viewClock });
    const profile = await (await import("@/lib/db/profiles")).getProfile(w.user.id);
    const admin = (profile?.usage ?? []).filter((u) => u.planId === w.targets[slug].planId).reduce((sum, u) => sum + u.requests7d, 0);
    violations.push(...invariants.usageViolations(view, lib.usageCsv(view), admin, m.usage.get(slug) ?? new Map(), w.viewClock));
  }
  if (violations.length)
    throw new Error(`after ${w.log.at(-1)}:\n  ${violations.map((v) => `[${v.invariant}] ${v.detail}`).join("\n  ")}\nsteps:\n  ${w.log.join("\n  ")}`);
}

/** The developer (and an admin) open the usage of one plan: the chart, table, CSV and month total. */
const viewUsage = (slug: Slug): Action => ({
  label: `viewUsage(${slug})`,
  precondition: (m) => viewable(m, slug),
  expected: () => "ok",
  run: async (w, m) => checkUsage(m, w, [slug]),
  apply: () => undefined,
});

// ---------------------------------------------------------------------------------------------
// The generators.

const slug = fc.constantFrom<Slug>(...SLUGS);
const index = fc.nat({ max: 7 });
const shift = fc.constantFrom<Shift>("now", "+30m", "+2h", "+8d");

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(0, 0, 1, 3)).map(([n, d]) => createKey(n, d)) },
  { weight: 5, arbitrary: fc.tuple(index, fc.constantFrom(0, 1, 3)).map(([i, d]) => setExpiry(i, d)) },
  { weight: 15, arbitrary: fc.tuple(index, fc.constantFrom<GracePeriod>("none", "1h")).map(([i, g]) => rotateKey(i, g)) },
  { weight: 10, arbitrary: index.map(revokeKey) },
  { weight: 5, arbitrary: fc.tuple(index, fc.constantFrom(...NAMES)).map(([i, n]) => renameKey(i, n)) },
  { weight: 25, arbitrary: slug.map(subscribe) },
  { weight: 5, arbitrary: slug.map(staleSwitch) },
  { weight: 10, arbitrary: slug.map(unsubscribe) },
  { weight: 10, arbitrary: fc.tuple(slug, fc.constantFrom("approve" as const, "reject" as const)).map(([s, d]) => decide(s, d)) },
  { weight: 5, arbitrary: fc.constantFrom("disable" as const, "enable" as const).map(adminAction) },
  { weight: 30, arbitrary: fc.tuple(index, fc.constantFrom<Api>("pets", "weather")).map(([i, a]) => callApi(i, a)) },
  { weight: 10, arbitrary: shift.map(sweeper) },
  { weight: 15, arbitrary: slug.map(viewUsage) },
  { weight: 5, arbitrary: fc.constant(null).map(reconciler) },
  { weight: 5, arbitrary: fc.constantFrom<Shift>("now", "-2h").map(collector) },
  { weight: 15, arbitrary: fc.constant(null).map(buyPro) },
  {
    weight: 25,
    arbitrary: fc
      .tuple(
        fc.constantFrom<SnsAction>(
          "subscribe-success",
          "subscribe-success",
          "subscribe-fail",
          "unsubscribe-pending",
          "unsubscribe-success",
          "entitlement-updated",
        ),
        fc.nat({ max: 600 }),
        fc.boolean(),
      )
      .map(([a, at, redeliver]) => marketplaceEvent(a, at + 1, redeliver)),
  },
  { weight: 1, arbitrary: fc.constant(null).map(deleteAccount) },
);

const mode: fc.Arbitrary<Mode> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: "once" } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: "twice" } as const) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("faulty" as const), pass: fc.nat({ max: 6 }), errors: fc.integer({ min: 1, max: 9 }), throttle: fc.boolean() }),
  },
);

/** Actions whose outcome the model can say for either order (not data-plane calls and views, which it checks as they run). */
const pairable = action.filter((a) => !a.label.startsWith("call(") && !a.label.startsWith("viewUsage("));

const commands = fc.commands([fc.tuple(action, mode).map(([a, md]) => new Step(a, md)), fc.tuple(pairable, pairable).map(([a, b]) => new Pair(a, b))], {
  maxCommands: STEPS,
  size: "max",
  ...(REPLAY ? { replayPath: REPLAY } : {}),
});

// ---------------------------------------------------------------------------------------------

describe("the access model under random sequences of actions", () => {
  let env: Env;
  let targets: Record<Slug, Target>;
  let signing: Awaited<ReturnType<typeof startSnsSigning>> | undefined;

  beforeAll(async () => {
    env = await startAccessSandbox();
    // Marketplace events are signed like SNS's, with a certificate served on loopback.
    signing = await startSnsSigning();
    Object.assign(process.env, env.authEnv, { MARKETPLACE_TOPIC_ARNS: TOPIC_ARNS, AWS_ENDPOINT_URL_SNS: signing.origin });
    targets = Object.fromEntries(SLUGS.map((s) => [s, env.target(s)])) as Record<Slug, Target>;
  }, 60_000);
  afterAll(async () => {
    await signing?.close();
    await env?.stop();
  });

  const register = () => registerUser(env, "model", { name: "Model user" });

  it(`keeps every invariant after every step (${RUNS} sequences of up to ${STEPS} steps)`, async () => {
    const apiStage = Object.fromEntries(
      (["pets", "weather"] as const).map((slug) => {
        const api = env.catalog.apis.find((a) => a.slug === slug)!;
        return [slug, `${api.apiId}/${api.stage}`];
      }),
    ) as Record<Api, string>;
    const stagesOf = Object.fromEntries(SLUGS.map((s) => [s, targets[s].apiStages.map((st) => `${st.apiId}/${st.stage}`)])) as Record<Slug, string[]>;
    const slugOf = new Map(SLUGS.map((s) => [targets[s].planId, s] as const));
    const stats = { sequences: 0, steps: 0, kinds: new Map<string, number>() };

    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const user = await register();
        const world: World = { env, user, targets, stagesOf, apiStage, slugOf, viewClock: Date.now(), log: [], kinds: [] };
        stats.sequences += 1;
        const model = newModel();
        try {
          await fc.asyncModelRun(() => ({ model, real: world }), cmds);
          // Whatever happened, the history adds up at the end.
          world.log.push("(end) viewUsage(*)");
          await checkUsage(model, world, SLUGS);
        } finally {
          stats.steps += world.log.length;
          for (const kind of world.kinds) stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
          // Leave the account's 10,000-key quota to the next sequence.
          await env.faults(null);
          await env.lib.removeAccount({ ...user, userPoolId: env.seeded.cognito.userPoolId }).catch(() => undefined);
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH ? { path: PATH } : {}), verbose: fc.VerbosityLevel.None },
    );
    console.info(`[model] ${stats.sequences} sequences, ${stats.steps} steps, invariants checked after each`);
    console.info(
      `[model] steps by kind: ${[...stats.kinds]
        .sort((a, b) => b[1] - a[1])
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ")}`,
    );
    expect(stats.steps).toBeGreaterThan(0);
  }, 1_800_000);
});
