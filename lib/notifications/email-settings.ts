import { getItem } from "../db/items";
import { suppressedKey } from "../db/keys";

/**
 * Email is on when the stage names a sender (`PORTICO_EMAIL_FROM`, set by infra/ from the verified
 * SES identity; the sandbox sets its own), optionally with an SES configuration set (bounces and
 * complaints). Read from the environment alone: the notifier job has no other portal settings.
 */
export interface EmailSettings {
  from: string;
  configurationSet?: string;
}

/**
 * Why an email to this address can't go (email off on the portal, no address, a suppressed one),
 * or undefined when it can: checked when a notice is expanded and again when its email is sent.
 */
export async function undeliverableEmail(email: string | null | undefined): Promise<string | undefined> {
  if (!emailSettings()) return "Email isn't set up on this portal.";
  if (!email) return "Your account has no email address.";
  if (await getItem(suppressedKey(email))) return "Not sent: mail to this address bounced or was reported as spam.";
  return undefined;
}

/** Whether an email to this address (a team invitation's) is on its way — the notifier sends within a minute — or why it isn't. */
export async function emailedTo(email: string): Promise<{ queued: true } | { queued: false; problem: string }> {
  const problem = await undeliverableEmail(email);
  return problem ? { queued: false, problem } : { queued: true };
}

export function emailSettings(): EmailSettings | undefined {
  const from = process.env.PORTICO_EMAIL_FROM?.trim();
  if (!from) return undefined;
  const configurationSet = process.env.PORTICO_SES_CONFIGURATION_SET?.trim();
  return { from, ...(configurationSet ? { configurationSet } : {}) };
}
