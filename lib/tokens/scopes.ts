import { z } from "zod";

/**
 * What a portal token may do. Every token can read; "manage" and "call" add to that.
 *   read    list my keys (never their values), subscriptions, plans and usage
 *   manage  create, rename, rotate, reveal and revoke keys; subscribe and unsubscribe
 *   call    call a catalog API operation with one of my keys, through the portal (MCP call_operation)
 */
export const TOKEN_SCOPES = ["read", "manage", "call"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const SCOPE_LABELS: Record<TokenScope, { title: string; detail: string }> = {
  read: { title: "Read", detail: "Your keys (never their values), subscriptions, plans and usage." },
  manage: { title: "Manage keys and subscriptions", detail: "Create, rotate, reveal and revoke keys; subscribe and unsubscribe." },
  call: { title: "Call APIs", detail: "Call an API operation with one of your keys, within your plans (MCP)." },
};

/** The same, for a team's token (it works on the team's keys, plans and usage). */
export const TEAM_SCOPE_DETAILS: Record<TokenScope, string> = {
  read: "The team's keys (never their values), subscriptions, plans and usage.",
  manage: "Create, rotate, reveal and revoke the team's keys; subscribe the team and unsubscribe it.",
  call: "Call an API operation with one of the team's keys, within its plans (MCP).",
};

export const TOKEN_EXPIRY_DAYS = [7, 30, 90, 365] as const;
export const TOKEN_NAME_MAX_LENGTH = 60;

export const createTokenInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name, e.g. the agent or script that will use it.")
    .max(TOKEN_NAME_MAX_LENGTH, `Token names are at most ${TOKEN_NAME_MAX_LENGTH} characters.`)
    .regex(/^[\p{L}\p{N} _.:/=+@()-]+$/u, "Use letters, digits, spaces and _ . : / = + @ ( ) - in token names."),
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { message: "Scopes are read, manage and call." }))
    .max(TOKEN_SCOPES.length)
    .default(["read"]),
  expiresInDays: z.coerce
    .number()
    .int()
    .refine((n) => (TOKEN_EXPIRY_DAYS as readonly number[]).includes(n), `A token expires after ${TOKEN_EXPIRY_DAYS.join(", ")} days.`)
    .default(30),
});

export const tokenId = z.string().regex(/^[a-z0-9]{12}$/, "That isn't a token id.");

/** Whether a token with `granted` may do what needs `needed`. */
export const allows = (granted: readonly TokenScope[], needed: TokenScope) => needed === "read" || granted.includes(needed);
