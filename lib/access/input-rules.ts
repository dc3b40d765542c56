/**
 * The limits inputs.ts builds the dashboard's schemas from, kept free of zod so that the client
 * forms state the same limits as input attributes without shipping the validator to the browser.
 */
export const KEY_NAME_MAX_LENGTH = 64;
