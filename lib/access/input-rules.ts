/**
 * The limits inputs.ts builds the dashboard's schemas from, kept free of zod so that the client
 * forms state the same limits as input attributes without shipping the validator to the browser.
 */
export const KEY_NAME_MAX_LENGTH = 64;
/** How far ahead a key's expiry may be, and the lengths the dashboard offers. */
export const MAX_EXPIRY_DAYS = 730;
export const EXPIRY_PRESET_DAYS = [30, 90, 365] as const;
