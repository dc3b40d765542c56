import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";
import { callRoute, type Person } from "./support";

/**
 * Teams checked by their invariants (lib/teams/invariants.ts, and lib/access/invariants.ts for the
 * team as an owner) under random sequences of actions by several members, against the sandbox and
 * through the real route handlers: invitations, role changes, removals (rotating what the person
 * saw, or not), leaving, hand-overs, key changes and reveals, the team's portal tokens (made
 * within the maker's role, used through /api/v1 within their role at the time, revoked when they
 * go) — each by anyone, in or out of the team, and pairs of them at once (either order's outcome
 * is accepted).
 *
 * A small model (below, written independently of lib/teams) says what each action should do and
 * answer: every refusal is the status the role table gives (403 for a member beyond their role,
 * 404 for a stranger, 409 for the last owner) and changes nothing. A failure shrinks to a minimal
 * sequence; replay with MODEL_SEED=<seed> MODEL_PATH=<path> (and the same MODEL_RUNS, MODEL_STEPS).
 *
 *   MODEL_RUNS=200 MODEL_STEPS=30 npx vitest run tests/teams/model.test.ts
 */

const RUNS = Number(process.env.MODEL_RUNS ?? 6);
const STEPS = Number(process.env.MODEL_STEPS ?? 15);
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined;
const PATH = process.env.MODEL_PATH;

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

// ---------------------------------------------------------------------------------------------
// The model

type Role = "owner" | "admin" | "member" | "viewer";
const PEOPLE = 4;
const NAMES = ["prod", "ci", "laptop"];

interface Model {
  /** Person index → role, for members. */
  roles: Map<number, Role>;
  /** Active keys by name: who has seen each one's current value (shown at creation, or revealed) while a member… */
  keys: Map<string, Set<number>>;
  /** …and who saw it but has since left or been removed without it being rotated. */
  former: Map<string, Set<number>>;
  /** The team's live portal tokens, by label: who made each and whether it may manage (every token reads). */
  tokens: Map<string, { maker: number; manage: boolean }>;
  /** The owners require every departure to rotate what the person saw. */
  rotateOnDeparture: boolean;
}

const clone = (m: Model): Model => ({
  roles: new Map(m.roles),
  keys: new Map([...m.keys].map(([name, seen]) => [name, new Set(seen)])),
  former: new Map([...m.former].map(([name, seen]) => [name, new Set(seen)])),
  tokens: new Map(m.tokens),
  rotateOnDeparture: m.rotateOnDeparture,
});
/** A key rotated: its new value seen by no one, no former member's record left either. */
const rotated = (m: Model, name: string) => {
  m.keys.set(name, new Set());
  m.former.delete(name);
};
const owners = (m: Model) => [...m.roles.values()].filter((r) => r === "owner").length;
const manages = (role?: Role) => role === "owner" || role === "admin";

type Action =
  | { kind: "invite"; actor: number; target: number; role: Exclude<Role, "owner"> }
  | { kind: "role"; actor: number; target: number; role: Role }
  | { kind: "remove"; actor: number; target: number; rotate: boolean }
  /** `member`: the actor is one of the members as the step begins (picked by `actor`), else anyone. */
  | { kind: "leave"; actor: number; member?: boolean }
  | { kind: "transfer"; actor: number; target: number }
  | { kind: "create"; actor: number; name: string }
  | { kind: "revoke"; actor: number; name: string }
  | { kind: "reveal"; actor: number; name: string }
  | { kind: "rotateSeen"; actor: number }
  | { kind: "token"; actor: number; manage: boolean; label: string }
  | { kind: "policy"; actor: number; rotate: boolean }
  /** Uses one of the tokens made so far (`label`, resolved from `pick` before the step): lists keys, or creates key `name`. */
  | { kind: "useToken"; pick: number; name?: string; label?: string };

const MAX_TEAM_TOKENS = 10;

/** What `action` answers and does to the model (in place). Statuses as the route table gives them. */
function apply(m: Model, a: Action): number {
  if (a.kind === "useToken") return applyTokenUse(m, a);
  const role = m.roles.get(a.actor);
  if (!role && a.kind !== "invite") return 404;
  switch (a.kind) {
    case "invite": {
      if (!role) return 404;
      if (!manages(role)) return 403;
      if (m.roles.has(a.target)) return 409;
      m.roles.set(a.target, a.role);
      return 200;
    }
    case "role": {
      if (role !== "owner") return 403;
      const current = m.roles.get(a.target);
      if (!current) return 404;
      if (current === a.role) return 200;
      if (current === "owner" && owners(m) === 1) return 409;
      m.roles.set(a.target, a.role);
      return 200;
    }
    case "remove":
    case "leave": {
      const target = a.kind === "leave" ? a.actor : a.target;
      if (a.kind === "remove" && role !== "owner") return 403;
      const current = m.roles.get(target);
      if (!current) return 404;
      if (current === "owner" && owners(m) === 1) return 409;
      m.roles.delete(target);
      // Their tokens acted as them for the team: they go with them.
      for (const [label, token] of [...m.tokens]) if (token.maker === target) m.tokens.delete(label);
      for (const [name, seen] of m.keys) {
        if (!seen.has(target)) continue;
        // Rotated: a new value nobody has seen. Kept: its value is still the one they saw, on record as a former member's.
        if ((a.kind === "remove" && a.rotate) || m.rotateOnDeparture) rotated(m, name);
        else {
          seen.delete(target);
          m.former.set(name, new Set([...(m.former.get(name) ?? []), target]));
        }
      }
      return 200;
    }
    case "transfer": {
      if (role !== "owner") return 403;
      if (a.target === a.actor) return 400;
      if (!m.roles.has(a.target)) return 404;
      m.roles.set(a.target, "owner");
      m.roles.set(a.actor, "admin");
      return 204;
    }
    case "create": {
      if (!manages(role)) return 403;
      if (m.keys.has(a.name)) return 409;
      m.keys.set(a.name, new Set([a.actor])); // its value is in the answer
      return 201;
    }
    case "revoke": {
      if (!manages(role)) return 403;
      if (!m.keys.has(a.name)) return 404;
      m.keys.delete(a.name);
      m.former.delete(a.name);
      return 204;
    }
    case "reveal": {
      if (role === "viewer") return 403;
      const seen = m.keys.get(a.name);
      if (!seen) return 404;
      seen.add(a.actor);
      m.former.get(a.name)?.delete(a.actor);
      if (m.former.get(a.name)?.size === 0) m.former.delete(a.name);
      return 200;
    }
    case "rotateSeen": {
      if (role !== "owner") return 403;
      for (const name of [...m.former.keys()]) rotated(m, name);
      return 200;
    }
    case "policy": {
      if (role !== "owner") return 403;
      m.rotateOnDeparture = a.rotate;
      return 200;
    }
    case "token": {
      // Reading needs any role; managing an owner's or admin's.
      if (a.manage && !manages(role)) return 403;
      if (m.tokens.size >= MAX_TEAM_TOKENS) return 409;
      m.tokens.set(a.label, { maker: a.actor, manage: a.manage });
      return 201;
    }
  }
}

/** A token acts as its maker, within their role now; a revoked one (its maker gone) is a 401. */
function applyTokenUse(m: Model, a: Extract<Action, { kind: "useToken" }>): number {
  const token = a.label === undefined ? undefined : m.tokens.get(a.label);
  if (!token) return 401;
  if (a.name === undefined) return 200;
  if (!token.manage || !manages(m.roles.get(token.maker))) return 403;
  if (m.keys.has(a.name)) return 409;
  m.keys.set(a.name, new Set([token.maker]));
  return 201;
}

const person = fc.integer({ min: 0, max: PEOPLE - 1 });
const name = fc.constantFrom(...NAMES);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    // Invitations more often: most actions need members to mean anything.
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("invite" as const),
      // Mostly by the founding owner, so that teams grow members for the other actions to act on.
      actor: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: person }),
      target: person,
      role: fc.constantFrom("admin" as const, "member" as const, "viewer" as const),
    }),
  },
  fc.record({ kind: fc.constant("role" as const), actor: person, target: person, role: fc.constantFrom<Role>("owner", "admin", "member", "viewer") }),
  fc.record({ kind: fc.constant("remove" as const), actor: person, target: person, rotate: fc.boolean() }),
  fc.record({ kind: fc.constant("leave" as const), actor: person }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("leave" as const), actor: fc.nat(50), member: fc.constant(true) }) },
  fc.record({ kind: fc.constant("transfer" as const), actor: person, target: person }),
  fc.record({ kind: fc.constant("create" as const), actor: person, name }),
  fc.record({ kind: fc.constant("revoke" as const), actor: person, name }),
  fc.record({ kind: fc.constant("reveal" as const), actor: person, name }),
  fc.record({ kind: fc.constant("rotateSeen" as const), actor: person }),
  {
    weight: 2,
    // By a member as the step begins (`actor` picks one, resolved before the step): tokens need a maker to mean anything.
    arbitrary: fc.record({ kind: fc.constant("token" as const), actor: fc.nat(50), manage: fc.boolean(), label: fc.stringMatching(/^[a-z0-9]{8}$/) }),
  },
  fc.record({ kind: fc.constant("policy" as const), actor: person, rotate: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("useToken" as const), pick: fc.nat(50), name: fc.option(name, { nil: undefined }) }) },
);
/** One action, or two at once. */
const step = fc.oneof({ arbitrary: action.map((a) => [a]), weight: 3 }, { arbitrary: fc.tuple(action, action), weight: 1 });

// ---------------------------------------------------------------------------------------------
// The real system

describe("teams model", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let people: Person[];
  let run = 0;

  beforeAll(async () => {
    const unreachable = { requests: 100_000, seconds: 600 };
    const rule = { perUser: unreachable, perIp: unreachable };
    process.env.PORTICO_LIMITS = JSON.stringify({
      portal: { keys: rule, teams: rule, liveReads: rule, subscriptions: rule, tokens: rule, agents: { perToken: unreachable, perIp: unreachable } },
    });
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
  }, 120_000);
  afterAll(() => env?.stop());

  const call = (who: Person, method: string, url: string, body?: unknown) => callRoute(who, method, url, body);
  /** The values of the tokens made in this sequence, by label. */
  let tokenValues = new Map<string, string>();

  async function perform(slug: string, a: Action, ids: Map<string, string>): Promise<number> {
    if (a.kind === "useToken") return callWithToken(a);
    const actor = people[a.actor]!;
    const team = `?team=${slug}`;
    switch (a.kind) {
      case "invite": {
        const target = people[a.target]!;
        const invited = await call(actor, "POST", `/api/teams/${slug}/invites`, { email: target.email, role: a.role });
        if (invited.status !== 201) {
          // "Already in the team" and "already invited" are both 409; a leftover invitation is revoked so the model's view holds.
          return invited.status;
        }
        const joined = await call(target, "POST", "/api/teams/join", { token: new URL(invited.json.link as string).searchParams.get("token") });
        return joined.status;
      }
      case "role":
        return (await call(actor, "PATCH", `/api/teams/${slug}/members/${people[a.target]!.id}`, { role: a.role })).status;
      case "remove":
        return (await call(actor, "DELETE", `/api/teams/${slug}/members/${people[a.target]!.id}?rotateRevealed=${a.rotate}&grace=none`)).status;
      case "leave":
        return (await call(actor, "POST", `/api/teams/${slug}/leave`)).status;
      case "transfer":
        return (await call(actor, "POST", `/api/teams/${slug}/transfer`, { userId: people[a.target]!.id })).status;
      case "create": {
        const made = await call(actor, "POST", `/api/keys${team}`, { name: a.name });
        return made.status;
      }
      case "revoke":
        return (await call(actor, "DELETE", `/api/keys/${ids.get(a.name) ?? "AAAAAAAAAA"}${team}`)).status;
      case "reveal":
        return (await call(actor, "POST", `/api/keys/${ids.get(a.name) ?? "AAAAAAAAAA"}/reveal${team}`)).status;
      case "rotateSeen":
        return (await call(actor, "POST", `/api/teams/${slug}/rotate-seen?grace=none`)).status;
      case "policy":
        return (await call(actor, "PATCH", `/api/teams/${slug}`, { rotateOnDeparture: a.rotate ? "none" : null })).status;
      case "token": {
        const made = await call(actor, "POST", `/api/tokens${team}`, { name: `t${a.label}`, scopes: a.manage ? ["manage"] : [], expiresInDays: 7 });
        if (made.status === 201) tokenValues.set(a.label, made.json.value as string);
        return made.status;
      }
    }
  }

  /** A token's request through /api/v1 (its own bearer token, no session). */
  async function callWithToken(a: Extract<Action, { kind: "useToken" }>): Promise<number> {
    const value = a.label === undefined ? undefined : tokenValues.get(a.label);
    if (!value) return 401;
    const file = "@/app/api/v1/keys/route";
    const handler = (await import(/* @vite-ignore */ file)) as Record<string, (r: NextRequest, c: { params: Promise<object> }) => Promise<Response>>;
    const request = new NextRequest("http://localhost:3000/api/v1/keys", {
      method: a.name === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${value}`, "content-type": "application/json", "x-forwarded-for": "10.99.0.1" },
      ...(a.name === undefined ? {} : { body: JSON.stringify({ name: a.name }) }),
    });
    return (await handler[a.name === undefined ? "GET" : "POST"]!(request, { params: Promise.resolve({}) })).status;
  }

  /** The real team, as the model sees it: roles, active keys by name, and who saw each one's current value. */
  async function observe(teamId: string): Promise<{ model: Model; ids: Map<string, string> }> {
    const { readMembers, readReveals } = await import("@/lib/teams");
    const { listTokens } = await import("@/lib/tokens");
    const [members, reveals, access, tokenRows] = await Promise.all([
      readMembers(teamId),
      readReveals(teamId),
      env.lib.readUserAccess(teamId),
      listTokens(teamId),
    ]);
    const tokens = new Map(
      tokenRows.map((t) => [t.name.slice(1), { maker: people.findIndex((p) => p.id === t.createdBy?.id), manage: t.scopes.includes("manage") }]),
    );
    const roles = new Map(members.map((m) => [people.findIndex((p) => p.id === m.userId), m.role as Role]));
    const ids = new Map<string, string>();
    const keys = new Map<string, Set<number>>();
    const former = new Map<string, Set<number>>();
    const who = (rows: typeof reveals) => new Set(rows.map((r) => people.findIndex((p) => p.id === r.userId)));
    for (const key of access.keys.filter((k) => k.state === "active")) {
      ids.set(key.name, key.keyId);
      const rows = reveals.filter((r) => r.keyId === key.keyId);
      keys.set(key.name, who(rows.filter((r) => !r.former)));
      if (rows.some((r) => r.former)) former.set(key.name, who(rows.filter((r) => r.former)));
    }
    const { findTeamById } = await import("@/lib/teams/store");
    const rotateOnDeparture = (await findTeamById(teamId))?.rotateOnDeparture !== undefined;
    return { model: { roles, keys, former, tokens, rotateOnDeparture }, ids };
  }

  const sets = (map: Map<string, Set<number>>) => [...map].map(([n, s]) => [n, [...s].sort()]).sort();
  const tokenList = (m: Model) => [...m.tokens].sort(([a], [b]) => a.localeCompare(b));
  const same = (a: Model, b: Model) =>
    JSON.stringify([[...a.roles].sort(), sets(a.keys), sets(a.former), tokenList(a), a.rotateOnDeparture]) ===
    JSON.stringify([[...b.roles].sort(), sets(b.keys), sets(b.former), tokenList(b), b.rotateOnDeparture]);
  const show = (m: Model) =>
    JSON.stringify({
      roles: Object.fromEntries(m.roles),
      keys: Object.fromEntries(sets(m.keys)),
      former: Object.fromEntries(sets(m.former)),
      tokens: Object.fromEntries(m.tokens),
      rotateOnDeparture: m.rotateOnDeparture,
    });

  it("every invariant holds and every answer matches the role table, whatever the members do, alone or at once", async () => {
    const { teamViolations } = await import("@/lib/teams");
    const { accessViolations, readGatewayState } = await import("@/lib/access/invariants");
    let stepsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: Math.ceil(STEPS / 2), maxLength: STEPS }), async (steps) => {
        run += 1;
        // New people each sequence (each may belong to only so many teams).
        people = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => registerUser(env, `model-${run}-p${i}`)));
        const slug = `model-${process.pid}-${run}`;
        const made = await call(people[0]!, "POST", "/api/teams", { name: `Model ${run}`, slug });
        expect(made.status).toBe(201);
        const teamId = (made.json.team as { id: string }).id;
        let model: Model = { roles: new Map([[0, "owner"]]), keys: new Map(), former: new Map(), tokens: new Map(), rotateOnDeparture: false };
        let ids = new Map<string, string>();
        tokenValues = new Map();
        /** Labels of every token made in this sequence (revoked ones too: using those must fail). */
        const madeTokens: string[] = [];
        const log: string[] = [];
        for (const original of steps) {
          stepsRun += 1;
          // A token use names one of the tokens made so far (none yet: a use of nothing, refused like a revoked one).
          // Token makers and leavers are picked among members other than owners when there are any (an owner alone can't leave).
          const members = [...model.roles.keys()].sort();
          const others = members.filter((i) => model.roles.get(i) !== "owner");
          const pool = others.length ? others : members;
          const actions = original.map((a) =>
            a.kind === "useToken"
              ? { ...a, ...(madeTokens.length ? { label: madeTokens[a.pick % madeTokens.length] } : {}) }
              : a.kind === "token" || (a.kind === "leave" && a.member)
                ? { ...a, actor: pool[a.actor % pool.length]! }
                : a,
          );
          let statuses: number[];
          if (actions.length === 1) statuses = [await perform(slug, actions[0]!, ids)];
          else statuses = await Promise.all(actions.map((a) => perform(slug, a, ids)));
          const observed = await observe(teamId);
          // Either order of a pair is a valid outcome: the answers and the state must match one of them.
          const orders =
            actions.length === 1
              ? [[0]]
              : [
                  [0, 1],
                  [1, 0],
                ];
          const outcomes = orders.map((order) => {
            const next = clone(model);
            const expected: number[] = [];
            for (const i of order) expected[i] = apply(next, actions[i]!);
            return { next, expected };
          });
          log.push(`${JSON.stringify(actions)} → ${JSON.stringify(statuses)}`);
          const match = outcomes.find((o) => JSON.stringify(o.expected) === JSON.stringify(statuses) && same(o.next, observed.model));
          if (!match)
            throw new Error(
              `after ${log.join("\n  ")}\nexpected one of ${outcomes.map((o) => `${JSON.stringify(o.expected)} ${show(o.next)}`).join(" or ")}\nreal ${show(observed.model)}`,
            );
          model = match.next;
          ids = observed.ids;
          actions.forEach((a, i) => {
            if (a.kind === "token" && statuses[i] === 201) madeTokens.push(a.label);
          });
          const violations = [
            ...(await teamViolations(
              teamId,
              people.map((p) => p.id),
            )),
            ...(await accessViolations(teamId, await readGatewayState())),
          ];
          if (violations.length > 0) throw new Error(`after ${log.join("\n  ")}\ninvariants broken: ${JSON.stringify(violations)}`);
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH ? { path: PATH } : {}), endOnFailure: false },
    );
    console.info(`[model] ${run} sequences, ${stepsRun} steps, invariants checked after each`);
  }, 900_000);
});
