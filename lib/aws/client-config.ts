import { ConfiguredRetryStrategy } from "@smithy/util-retry";

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

/**
 * One retry policy for every AWS client: up to 4 attempts on throttling, 5xx and network errors,
 * exponential backoff with full jitter so that concurrent callers spread out.
 */
export const retryStrategy = new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) =>
  Math.round(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)),
);

/**
 * Shared client settings. Region, credentials and endpoints come from the SDK's standard
 * sources (AWS_REGION, the credential chain, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>),
 * so pointing the portal at the local sandbox is configuration, never code.
 */
export const clientConfig = { retryStrategy } as const;
