/**
 * What inputs.ts builds the admin schemas from, kept free of zod so that the admin forms (client
 * components among them) state the same limits and choices without shipping the validator to the browser.
 */
export const REGISTRATION_MODES = ["open", "invite", "approval"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/** The account states the user directory can be filtered by. */
export const USER_STATUS_FILTERS = ["active", "pending", "disabled"] as const;

/** The longest value each admin field accepts. */
export const ADMIN_MAX_LENGTH = { userId: 128, search: 200, email: 254, name: 100, reason: 500 } as const;
