import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";

/**
 * Portal tokens (lib/tokens) checked by their invariants under random sequences of actions against
 * the sandbox's DynamoDB: creating (one, or several at once), revoking (the owner's one, an admin's
 * all), authenticating with real, revoked, tampered and foreign tokens, time passing past expiries,
 * and the account being disabled and enabled again. A small model says what each should do; after
 * every step the stored tokens must match it and:
 *
 *   1. a user never holds more than MAX_TOKENS_PER_USER live tokens, even when creating several at once;
 *   2. a token authenticates exactly when it was issued, is not revoked or replaced, has not expired
 *      and its account is active — and then as its owner, with the scopes it was given;
 *   3. no stored row holds a token's secret (only its hash);
 *   4. a revoked token never works again, and revoking twice is a 404.
 *
 * A failure shrinks to a minimal sequence and prints its seed (MODEL_SEED to replay).
 */
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));

const RUNS = Number(process.env.MODEL_RUNS ?? 25);
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined;
const DAY = 86_400_000;

type Scope = "read" | "manage" | "call";
type Action =
  | { kind: "create"; days: 7 | 30 | 90; scopes: Scope[] }
  | { kind: "createMany"; count: number }
  | { kind: "revoke"; pick: number }
  | { kind: "revokeAll" }
  | { kind: "authenticate"; pick: number; tamper: "none" | "secret" | "user" | "id" }
  | { kind: "advance"; days: number }
  | { kind: "status"; to: "active" | "disabled" };

interface ModelToken {
  id: string;
  value: string;
  scopes: Scope[];
  expiresAt: number;
  /** Revoked by someone, or its slot reused by a newer token after it expired. */
  gone: boolean;
}

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      days: fc.constantFrom(7 as const, 30 as const, 90 as const),
      scopes: fc.subarray<Scope>(["read", "manage", "call"]),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("createMany" as const), count: fc.integer({ min: 2, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("revoke" as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "revokeAll" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("authenticate" as const),
      pick: fc.nat(20),
      tamper: fc.constantFrom("none" as const, "none" as const, "secret" as const, "user" as const, "id" as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("status" as const), to: fc.constantFrom("active" as const, "disabled" as const) }) },
);

describe("portal tokens, model-based", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let tokens: typeof import("@/lib/tokens");
  let updateProfile: typeof import("@/lib/db/profiles").updateProfile;
  let stranger: { id: string; email: string };
  let strangerToken: string;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    tokens = await import("@/lib/tokens");
    ({ updateProfile } = await import("@/lib/db/profiles"));
    stranger = await registerUser(env, "token-stranger");
    strangerToken = (await tokens.createToken(stranger, { name: "theirs", scopes: ["manage"], expiresInDays: 365 })).value;
  });
  afterAll(() => env?.stop());

  /** Every row in the user's partition and the audit log, as text: where a leaked secret would be. */
  async function storedText(userId: string): Promise<string> {
    const { queryAll } = await import("@/lib/db/items");
    const rows = await queryAll<Record<string, unknown>>({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `USER#${userId}` } });
    const { listAudit } = await import("@/lib/audit");
    return JSON.stringify(rows) + JSON.stringify((await listAudit({ userId, limit: 500 })).entries);
  }

  it("keeps every invariant under random sequences, concurrent creation included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        const user = await registerUser(env, "token-model");
        const model: ModelToken[] = [];
        let now = Date.now();
        let status: "active" | "disabled" = "active";
        const live = () => model.filter((t) => !t.gone && t.expiresAt > now);
        const pick = (n: number) => (model.length ? model[n % model.length] : undefined);

        /** A new token took slot `id[0]`: whatever expired token held it is replaced. */
        const claim = (token: ModelToken) => {
          for (const t of model) if (!t.gone && t.id[0] === token.id[0]) t.gone = true;
          model.push(token);
        };

        for (const step of actions) {
          const at = new Date(now);
          switch (step.kind) {
            case "create": {
              const room = live().length < tokens.MAX_TOKENS_PER_USER;
              const result = await tokens.createToken(user, { name: "model", scopes: step.scopes, expiresInDays: step.days }, at).catch((e: Error) => e);
              if (!room) {
                expect(result).toBeInstanceOf(Error);
                expect((result as Error).message).toMatch(/tokens already/);
                break;
              }
              expect(result).not.toBeInstanceOf(Error);
              const { token, value } = result as Awaited<ReturnType<typeof tokens.createToken>>;
              expect(token.scopes).toEqual(["read", ...(["manage", "call"] as const).filter((s) => step.scopes.includes(s))]);
              claim({ id: token.id, value, scopes: token.scopes, expiresAt: now + step.days * DAY, gone: false });
              break;
            }
            case "createMany": {
              const room = tokens.MAX_TOKENS_PER_USER - live().length;
              const results = await Promise.allSettled(
                Array.from({ length: step.count }, () => tokens.createToken(user, { name: "burst", scopes: ["read"], expiresInDays: 30 }, at)),
              );
              const made = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
              // Invariant 1: at once or not, never past the limit; and nobody is refused while there is room.
              expect(made).toHaveLength(Math.min(step.count, room));
              for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/tokens already/);
              for (const { token, value } of made) claim({ id: token.id, value, scopes: token.scopes, expiresAt: now + 30 * DAY, gone: false });
              break;
            }
            case "revoke": {
              const target = pick(step.pick);
              if (!target) break;
              const result = await tokens.revokeToken(user, target.id).catch((e: Error) => e);
              if (target.gone) expect(String(result)).toMatch(/already been revoked/);
              else expect(result).toBeUndefined();
              target.gone = true;
              break;
            }
            case "revokeAll": {
              const stored = model.filter((t) => !t.gone).length;
              expect(await tokens.revokeAllTokens(user)).toBe(stored);
              for (const t of model) t.gone = true;
              break;
            }
            case "authenticate": {
              const target = pick(step.pick);
              const value = target ? tampered(target.value, step.tamper, stranger.id) : strangerToken;
              const result = await tokens.authenticateToken(value, "198.51.100.1", { now: at }).catch((e: Error) => e);
              const works = !!target && step.tamper === "none" && !target.gone && target.expiresAt > now && status === "active";
              if (!target) {
                // Someone else's token speaks for them, never for this user.
                expect(result).toMatchObject({ user: { id: stranger.id } });
              } else if (works) {
                // Invariant 2: as its owner, with its scopes.
                expect(result).toMatchObject({ user: { id: user.id }, token: { id: target.id, scopes: target.scopes } });
              } else {
                expect(result).toBeInstanceOf(Error);
                expect((result as { code?: string }).code).toBe("unauthorized");
              }
              break;
            }
            case "advance":
              now += step.days * DAY;
              break;
            case "status":
              await updateProfile(user.id, { status: step.to });
              status = step.to;
              break;
          }

          // The stored tokens are the model's (expired ones stay listed until TTL or reuse of their slot).
          const listed = (await tokens.listTokens(user.id)).map((t) => t.id).sort();
          expect(listed).toEqual(
            model
              .filter((t) => !t.gone)
              .map((t) => t.id)
              .sort(),
          );
          expect(live().length).toBeLessThanOrEqual(tokens.MAX_TOKENS_PER_USER);
        }
        // Invariant 3: only hashes are stored.
        const stored = await storedText(user.id);
        for (const t of model) expect(stored.includes(t.value.split(".")[2]!)).toBe(false);
        // Invariants 2 and 4 over every token ever issued, at the end: only the live ones of an active account work.
        for (const t of model) {
          const works = !t.gone && t.expiresAt > now && status === "active";
          const result = tokens.authenticateToken(t.value, "198.51.100.1", { now: new Date(now) });
          if (works) await expect(result).resolves.toMatchObject({ user: { id: user.id }, token: { id: t.id } });
          else await expect(result).rejects.toThrow();
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: false },
    );
  }, 600_000);
});

/** The same token with its secret changed, pointed at another user, or naming another slot. */
function tampered(value: string, how: "none" | "secret" | "user" | "id", otherUserId: string): string {
  const [head, id, secret] = value.split(".") as [string, string, string];
  if (how === "secret") return `${head}.${id}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
  if (how === "user") return `ptk_${Buffer.from(otherUserId).toString("base64url")}.${id}.${secret}`;
  if (how === "id") return `${head}.${id[0]}${id.slice(1).split("").reverse().join("")}.${secret}`;
  return value;
}
