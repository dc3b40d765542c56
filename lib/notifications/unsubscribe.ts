import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { authSecret, siteUrl } from "../config";
import { readProfileRow } from "../db/profiles";
import { AppError } from "../errors";
import { CATEGORY_NAMES, type Category } from "../outbox/events";
import { updatePreferences } from "./preferences";

/**
 * One-click unsubscribe (RFC 8058) without signing in: each email carries a link naming the person
 * and the category, with an HMAC of both under the portal's AUTH_SECRET, so nobody can switch off
 * someone else's mail and a link stays valid for as long as the secret does. It only ever switches
 * email off for that one category; preferences on the dashboard switch it back on.
 */

const tokenOf = (userId: string, category: Category) =>
  createHmac("sha256", authSecret()).update(`portico-unsubscribe:v1\n${userId}\n${category}`).digest("base64url");

export const unsubscribeInput = z.strictObject({
  u: z.string().min(1).max(200),
  c: z.enum(CATEGORY_NAMES, { error: "That link names no notification category." }),
  t: z.string().min(1).max(200),
});
export type UnsubscribeLink = z.infer<typeof unsubscribeInput>;

/** The page an email links to (it asks first), and the one-click URL its List-Unsubscribe header names. */
export function unsubscribeUrl(userId: string, category: Category, kind: "page" | "one-click" = "page"): string {
  const params = new URLSearchParams({ u: userId, c: category, t: tokenOf(userId, category) });
  return `${siteUrl()}${kind === "page" ? "/notifications/unsubscribe" : "/api/notifications/unsubscribe"}?${params}`;
}

/** The link's person and category when its token is theirs; a 400 otherwise (nothing changes). */
export function verifyUnsubscribe(link: UnsubscribeLink): { userId: string; category: Category } {
  const expected = Buffer.from(tokenOf(link.u, link.c));
  const given = Buffer.from(link.t);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new AppError("bad_request", "This unsubscribe link isn't valid. Use the newest email's link, or change your preferences on the dashboard.");
  return { userId: link.u, category: link.c };
}

export async function unsubscribe(link: UnsubscribeLink): Promise<Category> {
  const { userId, category } = verifyUnsubscribe(link);
  const profile = await readProfileRow(userId);
  if (!profile || profile.status === "deleted") throw new AppError("not_found", "That account no longer exists, so it gets no email from this portal.");
  await updatePreferences(userId, { email: { [category]: false } }, { via: "unsubscribe link", email: profile.email });
  return category;
}
