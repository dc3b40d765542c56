import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";
import { callRoute, type Person } from "./support";

/**
 * Teams checked by their invariants (lib/teams/invariants.ts, and lib/access/invariants.ts for the
 * team as an owner) under random sequences of actions by several members, against the sandbox and
 * through the real route handlers: invitations, role changes, removals (rotating what the person
 * saw, or not), leaving, hand-overs, key changes and reveals — each by anyone, in or out of the
 * team, and pairs of them at once (either order's outcome is accepted).
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
}

const clone = (m: Model): Model => ({
  roles: new Map(m.roles),
  keys: new Map([...m.keys].map(([name, seen]) => [name, new Set(seen)])),
  former: new Map([...m.former].map(([name, seen]) => [name, new Set(seen)])),
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
  | { kind: "leave"; actor: number }
  | { kind: "transfer"; actor: number; target: number }
  | { kind: "create"; actor: number; name: string }
  | { kind: "revoke"; actor: number; name: string }
  | { kind: "reveal"; actor: number; name: string }
  | { kind: "rotateSeen"; actor: number };

/** What `action` answers and does to the model (in place). Statuses as the route table gives them. */
function apply(m: Model, a: Action): number {
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
      for (const [name, seen] of m.keys) {
        if (!seen.has(target)) continue;
        // Rotated: a new value nobody has seen. Kept: its value is still the one they saw, on record as a former member's.
        if (a.kind === "remove" && a.rotate) rotated(m, name);
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
  }
}

const person = fc.integer({ min: 0, max: PEOPLE - 1 });
const name = fc.constantFrom(...NAMES);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("invite" as const),
    actor: person,
    target: person,
    role: fc.constantFrom("admin" as const, "member" as const, "viewer" as const),
  }),
  fc.record({ kind: fc.constant("role" as const), actor: person, target: person, role: fc.constantFrom<Role>("owner", "admin", "member", "viewer") }),
  fc.record({ kind: fc.constant("remove" as const), actor: person, target: person, rotate: fc.boolean() }),
  fc.record({ kind: fc.constant("leave" as const), actor: person }),
  fc.record({ kind: fc.constant("transfer" as const), actor: person, target: person }),
  fc.record({ kind: fc.constant("create" as const), actor: person, name }),
  fc.record({ kind: fc.constant("revoke" as const), actor: person, name }),
  fc.record({ kind: fc.constant("reveal" as const), actor: person, name }),
  fc.record({ kind: fc.constant("rotateSeen" as const), actor: person }),
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
    process.env.PORTICO_LIMITS = JSON.stringify({ portal: { keys: rule, teams: rule, liveReads: rule, subscriptions: rule } });
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
  }, 120_000);
  afterAll(() => env?.stop());

  const call = (who: Person, method: string, url: string, body?: unknown) => callRoute(who, method, url, body);

  async function perform(slug: string, a: Action, ids: Map<string, string>): Promise<number> {
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
    }
  }

  /** The real team, as the model sees it: roles, active keys by name, and who saw each one's current value. */
  async function observe(teamId: string): Promise<{ model: Model; ids: Map<string, string> }> {
    const { readMembers, readReveals } = await import("@/lib/teams");
    const [members, reveals, access] = await Promise.all([readMembers(teamId), readReveals(teamId), env.lib.readUserAccess(teamId)]);
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
    return { model: { roles, keys, former }, ids };
  }

  const sets = (map: Map<string, Set<number>>) => [...map].map(([n, s]) => [n, [...s].sort()]).sort();
  const same = (a: Model, b: Model) =>
    JSON.stringify([[...a.roles].sort(), sets(a.keys), sets(a.former)]) === JSON.stringify([[...b.roles].sort(), sets(b.keys), sets(b.former)]);
  const show = (m: Model) =>
    JSON.stringify({ roles: Object.fromEntries(m.roles), keys: Object.fromEntries(sets(m.keys)), former: Object.fromEntries(sets(m.former)) });

  it("every invariant holds and every answer matches the role table, whatever the members do, alone or at once", async () => {
    const { teamViolations } = await import("@/lib/teams");
    const { accessViolations, readGatewayState } = await import("@/lib/access/invariants");
    let stepsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: STEPS }), async (steps) => {
        run += 1;
        // New people each sequence (each may belong to only so many teams).
        people = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => registerUser(env, `model-${run}-p${i}`)));
        const slug = `model-${process.pid}-${run}`;
        const made = await call(people[0]!, "POST", "/api/teams", { name: `Model ${run}`, slug });
        expect(made.status).toBe(201);
        const teamId = (made.json.team as { id: string }).id;
        let model: Model = { roles: new Map([[0, "owner"]]), keys: new Map(), former: new Map() };
        let ids = new Map<string, string>();
        const log: string[] = [];
        for (const actions of steps) {
          stepsRun += 1;
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
