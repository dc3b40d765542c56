import { randomBytes } from "node:crypto";
import { deleteItem, getItem, putItem } from "../db/items";
import { landingKey } from "../db/keys";
import { AppError } from "../errors";
import { resolveCustomer, type TokenProblem } from "../metering";
import type { MarketplaceCustomer } from "./customers";

/**
 * AWS Marketplace sends the buyer here with a registration token in a form POST. The token is
 * resolved at once and never stored or put in a URL: what is kept is the resolved customer under a
 * random handle that travels in an HttpOnly cookie through sign-in or registration.
 *
 * That POST comes from another site by design, so any site can make a visitor's browser land a
 * purchase (its own). The purchase therefore waits only `LANDING_TTL_SECONDS`, and the activate
 * page shows what was bought, by which AWS account and when, before anything is linked.
 */

export const LANDING_COOKIE = "portico-marketplace";
/** Long enough to register and confirm an email address; short enough that a planted purchase goes stale. */
export const LANDING_TTL_SECONDS = 30 * 60;

export type LandingProblem = TokenProblem;

export interface Landing extends MarketplaceCustomer {
  handle: string;
  freeTrial: boolean;
  /** When the buyer arrived from AWS Marketplace (ISO time). */
  landedAt: string;
  /** Epoch seconds (the table's TTL attribute). */
  expires: number;
}

export class LandingError extends AppError {
  constructor(
    readonly problem: LandingProblem,
    cause?: unknown,
  ) {
    super(problem === "unavailable" ? "unavailable" : "bad_request", LANDING_MESSAGES[problem], { cause });
  }
}

export const LANDING_MESSAGES: Record<LandingProblem | "no-plan" | "taken" | "missing" | "held" | "duplicate", string> = {
  "invalid-token":
    "AWS Marketplace sent a registration link this portal can't read. Open the product in AWS Marketplace and choose “Set up your account” again.",
  "expired-token":
    "That AWS Marketplace registration link has expired (they last 4 hours). Open the product in AWS Marketplace and choose “Set up your account” again.",
  unavailable: "AWS Marketplace didn't answer. Go back and try again in a moment.",
  "no-plan": "This portal doesn't sell the product you bought. Nothing was changed; please contact the API team.",
  taken: "This AWS Marketplace subscription is already linked to another account here. Sign in with that account, or contact the API team.",
  missing:
    "There is no AWS Marketplace purchase waiting to be set up here (a purchase waits 30 minutes after you arrive from AWS Marketplace). Open the product in AWS Marketplace and choose “Set up your account”.",
  duplicate:
    "You already have this plan through another AWS Marketplace purchase, so nothing was changed. Cancel the purchase you don't need in AWS Marketplace.",
  held: "You already have this plan through the portal. Activating the AWS Marketplace purchase would take your keys off it, so nothing was changed: unsubscribe from it on your dashboard first, then come back to activate.",
};

/** Resolves a registration token and keeps the answer for the buyer's sign-in; returns the handle. */
export async function acceptRegistrationToken(token: string, options: { freeTrial?: boolean } = {}): Promise<string> {
  const resolved = await resolveCustomer(token);
  if ("problem" in resolved) throw new LandingError(resolved.problem, resolved.cause);
  const handle = randomBytes(24).toString("base64url");
  const now = Date.now();
  const landing: Landing = {
    handle,
    ...resolved.customer,
    freeTrial: options.freeTrial ?? false,
    landedAt: new Date(now).toISOString(),
    expires: Math.floor(now / 1000) + LANDING_TTL_SECONDS,
  };
  await putItem({ ...landingKey(handle), ...landing });
  return handle;
}

export async function readLanding(handle: string | undefined): Promise<Landing | undefined> {
  if (!handle || !/^[\w-]{16,64}$/.test(handle)) return undefined;
  const landing = await getItem<Landing & { pk: string; sk: string }>(landingKey(handle));
  // The table's TTL deletes expired rows eventually; never honour one that has expired.
  if (!landing || landing.expires * 1000 < Date.now()) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = landing;
  // Rows from before `landedAt` was kept (when a landing lasted 4 hours): their landing time follows from their expiry.
  const landedAt = rest.landedAt ?? new Date((rest.expires - 4 * 3600) * 1000).toISOString();
  if (Date.parse(landedAt) + LANDING_TTL_SECONDS * 1000 < Date.now()) return undefined;
  return { ...rest, landedAt };
}

export async function forgetLanding(handle: string): Promise<void> {
  await deleteItem(landingKey(handle));
}
