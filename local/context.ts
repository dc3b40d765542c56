/** What every sandbox service is given when it starts. */
export interface SandboxContext {
  /** Public base URL of the edge, e.g. `http://localhost:4566` (issuers and links use it). */
  url: string;
  /** Where state persists across restarts, e.g. `<repo>/.sandbox`. */
  stateDir: string;
  /** Repository root (for `catalog/` and `functions/`). */
  root: string;
  region: string;
  accountId: string;
  /** The portal this sandbox serves, when it was started with one (the buyer page's fulfillment URL). */
  portalUrl?: string;
  log(message: string): void;
}

export const SANDBOX_REGION = "us-east-1";
export const SANDBOX_ACCOUNT_ID = "000000000000";
/** Credentials the sandbox accepts (it does not verify signatures, like LocalStack). */
export const SANDBOX_CREDENTIALS = { accessKeyId: "sandbox", secretAccessKey: "sandbox" } as const;
