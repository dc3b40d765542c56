import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { recordAudit } from "../audit";
import { conditionally, deleteItem, getItems, putItem, queryAll, updateItem, type RowKey } from "../db/items";
import { authUserKey, isTeamId, profileKey, tokenKey, TOKEN_PREFIX, userPk } from "../db/keys";
import type { Profile } from "../db/profiles";
import { AppError } from "../errors";
import { TOKEN_SCOPES, type TokenScope } from "./scopes";

/**
 * Portal tokens: what a developer's scripts and AI agents use instead of their session (the
 * consumer API at /api/v1 and the MCP server at /mcp).
 *
 *   ptk_<base64url owner id>.<token id>.<secret>
 *
 * The row lives in its owner's partition (USER#<id> / PTOKEN#<slot>, lib/db/keys.ts), so one
 * BatchGet finds the token, its owner and their account status, and deleting the account deletes
 * its tokens. A team's tokens live in the team's partition and name the member who made them: such
 * a token speaks for that person acting for the team (lib/teams/tokens.ts checks their role on
 * every use), so it dies with their account, their membership, or the team. Only a SHA-256 of the secret is stored: the secret has 256 random bits, so a fast hash
 * is as good as a slow one, and the value is shown once, at creation.
 */

export interface TokenView {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string;
  /** The last hour in which the token was used (updated at most hourly), and from where. */
  lastUsedAt?: string;
  lastUsedIp?: string;
  /** A team's token: the member who made it (and for whom it acts). */
  createdBy?: Maker;
}

export interface Maker {
  id: string;
  email: string | null;
}

interface TokenRow extends RowKey, TokenView {
  type: "TOKEN";
  userId: string;
  secretHash: string;
  /** DynamoDB TTL: an expired token's row stays a week, shown as expired, then goes. */
  expires: number;
}

interface UserRow {
  id: string;
  email?: string | null;
  name?: string | null;
  groups?: string[];
  cognitoCheckedAt?: number;
}

/**
 * Cognito's current word on the user (lib/auth followCognito, passed in by lib/api): the user with
 * their groups as Cognito has them, or null when they were disabled or deleted there.
 */
export type FollowCognito = <U extends UserRow>(user: U) => Promise<U | null>;

/**
 * Who a valid token speaks for: what lib/auth's Caller holds, plus the token itself. Never an
 * admin: no scope grants admin powers (hidden products, no per-person limits), even to an admin's token.
 */
export interface TokenCaller {
  user: { id: string; name: string | null; email: string | null; groups: string[] };
  isAdmin: false;
  token: TokenView;
  /** A team's token: the team's slug (the person in `user` acts for it, within their role there). */
  team?: string;
}

export const MAX_TOKENS_PER_USER = 10;
export const TOKEN_PREFIX_TEXT = "ptk_";
const LAST_USED_STEP_MS = 3_600_000;
const KEEP_EXPIRED_SECONDS = 7 * 86_400;
const TOKEN_SHAPE = /^ptk_([A-Za-z0-9_-]{1,200})\.([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/;

const hashOf = (secret: string) => createHash("sha256").update(secret).digest("base64url");

function view(row: TokenRow): TokenView {
  const { id, name, scopes, createdAt, expiresAt, lastUsedAt, lastUsedIp, createdBy } = row;
  return {
    id,
    name,
    scopes,
    createdAt,
    expiresAt,
    ...(lastUsedAt ? { lastUsedAt } : {}),
    ...(lastUsedIp ? { lastUsedIp } : {}),
    ...(createdBy ? { createdBy: { id: createdBy.id, email: createdBy.email } } : {}),
  };
}

/** Whom the audit log names as a token's subject: its owner (a team by its slug). */
const auditSubjectOf = (ownerId: string, email: string | null, team?: string) => ({ userId: ownerId, email, ...(team ? { team } : {}) });

async function tokenRows(userId: string): Promise<TokenRow[]> {
  return queryAll<TokenRow>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":prefix": TOKEN_PREFIX },
    ConsistentRead: true,
  });
}

/** The owner's tokens, newest first (expired ones too, for a week). */
export async function listTokens(ownerId: string): Promise<TokenView[]> {
  return (await tokenRows(ownerId)).map(view).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** One of the owner's tokens, or undefined. */
export async function readToken(ownerId: string, tokenId: string): Promise<TokenView | undefined> {
  const [row] = await getItems<TokenRow>([tokenKey(ownerId, tokenId)], { consistent: true });
  return row?.id === tokenId ? view(row) : undefined;
}

/**
 * Creates a token; its value is in this answer and nowhere else, ever. A user's tokens live in
 * MAX_TOKENS_PER_USER numbered slots (the id's first character): creating claims a free or expired
 * slot with a conditional write, so requests at once can never exceed the limit.
 */
export async function createToken(
  user: { id: string; email: string | null; team?: { slug: string } },
  input: { name: string; scopes: TokenScope[]; expiresInDays: number },
  now = new Date(),
  options: { createdBy?: Maker } = {},
): Promise<{ token: TokenView; value: string }> {
  if (isTeamId(user.id) !== !!options.createdBy) throw new Error("A team's token names its maker; a person's doesn't.");
  const taken = new Set((await tokenRows(user.id)).filter((t) => t.expiresAt > now.toISOString()).map((t) => t.id[0]));
  const secret = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  // read is in every token; manage and call add to it.
  const scopes = TOKEN_SCOPES.filter((s) => s === "read" || input.scopes.includes(s));
  for (let slot = 0; slot < MAX_TOKENS_PER_USER; slot++) {
    if (taken.has(String(slot))) continue;
    const id = `${slot}${randomId(11)}`;
    const row: TokenRow = {
      ...tokenKey(user.id, id),
      type: "TOKEN",
      userId: user.id,
      id,
      name: input.name,
      scopes,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      secretHash: hashOf(secret),
      expires: Math.floor(expiresAt.getTime() / 1000) + KEEP_EXPIRED_SECONDS,
      ...(options.createdBy ? { createdBy: { id: options.createdBy.id, email: options.createdBy.email } } : {}),
    };
    const claimed = await conditionally(putItem(row, { expression: "attribute_not_exists(pk) OR expiresAt <= :now", values: { ":now": now.toISOString() } }));
    if (!claimed) continue; // another request took this slot a moment ago
    const token = view(row);
    await recordAudit({
      type: "token.created",
      subject: auditSubjectOf(user.id, user.email, user.team?.slug),
      target: id,
      after: { name: token.name, scopes, expiresAt: token.expiresAt },
    });
    return { token, value: `${TOKEN_PREFIX_TEXT}${Buffer.from(user.id).toString("base64url")}.${id}.${secret}` };
  }
  throw new AppError(
    "conflict",
    `${options.createdBy ? "This team has" : "You have"} ${MAX_TOKENS_PER_USER} tokens already. Revoke one you no longer use first.`,
  );
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
function randomId(length: number): string {
  return [...randomBytes(length)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
}

/** Revokes one token at once (the owner, or an admin for them); another owner's token is never found. */
export async function revokeToken(subject: { id: string; email?: string | null; team?: { slug: string } }, tokenId: string): Promise<void> {
  const key = tokenKey(subject.id, tokenId);
  const [row] = await getItems<TokenRow>([key], { consistent: true });
  const deleted = row?.id === tokenId && (await conditionally(deleteItem(key, { expression: "id = :id", values: { ":id": tokenId } })));
  if (!deleted) throw new AppError("not_found", "That token has already been revoked.");
  await recordAudit({
    type: "token.revoked",
    subject: auditSubjectOf(subject.id, subject.email ?? null, subject.team?.slug),
    target: tokenId,
    before: { name: row.name, scopes: row.scopes, ...(row.createdBy ? { createdBy: row.createdBy.id } : {}) },
  });
}

/**
 * Revokes the team tokens `makerId` made (they left or were removed: their tokens can no longer
 * act anyway, and shouldn't linger on the team's page); answers their ids.
 */
export async function revokeTokensMadeBy(team: { id: string; slug: string }, makerId: string): Promise<string[]> {
  const rows = (await tokenRows(team.id)).filter((row) => row.createdBy?.id === makerId);
  for (const row of rows) await conditionally(deleteItem(tokenKey(team.id, row.id), { expression: "id = :id", values: { ":id": row.id } }));
  if (rows.length)
    await recordAudit({
      type: "token.revoked-made-by",
      subject: auditSubjectOf(team.id, null, team.slug),
      target: makerId,
      before: { tokens: rows.map((row) => row.id) },
    });
  return rows.map((row) => row.id);
}

/** Revokes every token the user has (an admin's "revoke all"); answers how many there were. */
export async function revokeAllTokens(subject: { id: string; email?: string | null }): Promise<number> {
  const rows = await tokenRows(subject.id);
  for (const row of rows) await conditionally(deleteItem(tokenKey(subject.id, row.id), { expression: "id = :id", values: { ":id": row.id } }));
  if (rows.length)
    await recordAudit({ type: "token.revoked-all", subject: { userId: subject.id, email: subject.email ?? null }, after: { tokens: rows.length } });
  return rows.length;
}

const INVALID = "This portal token isn't valid: it may have been revoked. Create a new one on your dashboard.";

/**
 * Who `value` speaks for, or a 401 that says why not: malformed, unknown or revoked, expired, or the
 * account is disabled or gone (in the portal, or in Cognito: `follow`). One strongly consistent
 * BatchGet (token, user, profile), so a revocation applies to the very next request (a team's token:
 * a second one for the member who made it); the last-used time is written at most hourly, and each
 * such hour is an audit entry, so every use can be traced.
 */
export async function authenticateToken(value: string, ip: string, options: { now?: Date; follow?: FollowCognito } = {}): Promise<TokenCaller> {
  const now = options.now ?? new Date();
  const match = TOKEN_SHAPE.exec(value);
  if (!match) throw new AppError("unauthorized", "That isn't a portal token. Tokens start with ptk_; create one on your dashboard.");
  const [, encodedOwner, tokenId, secret] = match as unknown as [string, string, string, string];
  const ownerId = Buffer.from(encodedOwner, "base64url").toString("utf8");
  const [row, ownerRow, ownerProfile] = await getItems<Record<string, unknown>>([tokenKey(ownerId, tokenId), authUserKey(ownerId), profileKey(ownerId)], {
    consistent: true,
  });
  const token = row as TokenRow | undefined;
  const expected = Buffer.from(token?.secretHash ?? "", "utf8");
  const given = Buffer.from(hashOf(secret), "utf8");
  if (!token || token.id !== tokenId || expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError("unauthorized", INVALID);
  if (token.expiresAt <= now.toISOString()) throw new AppError("unauthorized", "This portal token has expired. Create a new one on your dashboard.");
  // A team's token acts as the member who made it: their account decides, as for their own tokens.
  const team = isTeamId(ownerId) ? (ownerProfile as Profile | undefined)?.team : undefined;
  if (isTeamId(ownerId) && (!team || !token.createdBy)) throw new AppError("unauthorized", INVALID);
  const personId = token.createdBy?.id ?? ownerId;
  const [userRow, profile] = team
    ? await getItems<Record<string, unknown>>([authUserKey(personId), profileKey(personId)], { consistent: true })
    : [ownerRow, ownerProfile];
  const stored = userRow as UserRow | undefined;
  const status = (profile as Profile | undefined)?.status;
  const user = stored && options.follow ? await options.follow(stored) : stored;
  if (!user || status === "disabled" || status === "deleted") throw new AppError("unauthorized", "This portal token's account is disabled.");
  if (status === "pending") throw new AppError("forbidden", "Your account is waiting for approval.");
  if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) >= LAST_USED_STEP_MS)
    await noteUse({ ownerId, team: team?.slug, person: { id: personId, email: user.email ?? null } }, token, ip, now);
  const groups = user.groups ?? [];
  return {
    user: { id: personId, name: user.name ?? null, email: user.email ?? null, groups },
    isAdmin: false,
    token: view(token),
    ...(team ? { team: team.slug } : {}),
  };
}

async function noteUse(who: { ownerId: string; team?: string; person: Maker }, token: TokenRow, ip: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - LAST_USED_STEP_MS).toISOString();
  // Only the first request of the hour writes (a revoked row is not brought back).
  const first = await conditionally(
    updateItem(
      tokenKey(who.ownerId, token.id),
      { expression: "SET lastUsedAt = :now, lastUsedIp = :ip", values: { ":now": now.toISOString(), ":ip": ip } },
      { condition: { expression: "id = :id AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :since)", values: { ":id": token.id, ":since": since } } },
    ),
  );
  if (first) {
    token.lastUsedAt = now.toISOString();
    token.lastUsedIp = ip;
    await recordAudit(
      { type: "token.used", subject: auditSubjectOf(who.ownerId, who.team ? null : who.person.email, who.team), target: token.id, after: { ip } },
      { kind: "user", id: who.person.id, email: who.person.email, token: token.id },
    );
  }
}
