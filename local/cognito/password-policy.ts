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
