import { randomInt } from "node:crypto";
import type { UserPool } from "cognito-local/lib/services/userPoolService.js";

type PasswordPolicy = NonNullable<NonNullable<UserPool["Policies"]>["PasswordPolicy"]>;

// Cognito's special characters for passwords (a space counts too).
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/**
 * The rules a password breaks, worded like Cognito's InvalidPasswordException messages
 * (cognito-local checks none of them).
 */
export function passwordPolicyErrors(policy: PasswordPolicy | undefined, password: string): string[] {
  if (!policy) return [];
  const errors: string[] = [];
  if (password.length < (policy.MinimumLength ?? 8)) errors.push("Password not long enough");
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) errors.push("Password must have uppercase characters");
  if (policy.RequireLowercase && !/[a-z]/.test(password)) errors.push("Password must have lowercase characters");
  if (policy.RequireNumbers && !/[0-9]/.test(password)) errors.push("Password must have numeric characters");
  if (policy.RequireSymbols && !SYMBOL.test(password)) errors.push("Password must have symbol characters");
  return errors;
}

/** A readable summary of the policy for a sign-up form hint. */
export function describePasswordPolicy(policy: PasswordPolicy | undefined): string {
  if (!policy) return "";
  const parts = [`at least ${policy.MinimumLength ?? 8} characters`];
  if (policy.RequireUppercase) parts.push("an uppercase letter");
  if (policy.RequireLowercase) parts.push("a lowercase letter");
  if (policy.RequireNumbers) parts.push("a number");
  if (policy.RequireSymbols) parts.push("a symbol");
  const last = parts.pop();
  return `Use ${parts.length ? `${parts.join(", ")} and ${last}` : last}.`;
}

const CLASSES = { upper: "ABCDEFGHJKLMNPQRSTUVWXYZ", lower: "abcdefghijkmnopqrstuvwxyz", digit: "23456789", symbol: "!#%+-=?@^_~" };

/**
 * A random temporary password that meets the pool's policy, as Cognito generates for
 * AdminCreateUser without TemporaryPassword (cognito-local's 6 characters would not).
 */
export function generateTemporaryPassword(policy: PasswordPolicy | undefined): string {
  const pick = (chars: string) => chars[randomInt(chars.length)]!;
  const chars = [pick(CLASSES.upper), pick(CLASSES.lower), pick(CLASSES.digit)];
  if (policy?.RequireSymbols) chars.push(pick(CLASSES.symbol));
  const all = CLASSES.upper + CLASSES.lower + CLASSES.digit;
  while (chars.length < Math.max(policy?.MinimumLength ?? 8, 12)) chars.push(pick(all));
  // Fisher-Yates, so the required classes are not always up front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

/** What Cognito answers when a temporary password is older than the pool's validity. */
export const TEMPORARY_PASSWORD_EXPIRED = "Temporary password has expired and must be reset by an administrator.";

/**
 * Whether a user's temporary password (status FORCE_CHANGE_PASSWORD) has outlived the pool's
 * TemporaryPasswordValidityDays (7 when unset, as on AWS). It counts from the user's last change:
 * their creation, or the RESEND that gave them a new one.
 */
export function temporaryPasswordExpired(policy: PasswordPolicy | undefined, lastModified: Date, now = Date.now()): boolean {
  const days = policy?.TemporaryPasswordValidityDays ?? 7;
  return now - new Date(lastModified).getTime() > days * 86_400_000;
}
