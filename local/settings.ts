// Where the sandbox keeps its state and what a portal needs from it, worked out without loading the
// sandbox: `npm run dev` starts Next with these before the sandbox is up (local/dev.ts).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tableName } from "../lib/db/table";
import { APP_CLIENT_NAME, appClientId, USER_POOL_NAME, userPoolId } from "./cognito/ids";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "./context";

/** What the sandbox gives the portal (local/run.ts writes them, to endpoints.json too, AUTH_SECRET aside). */
export const PORTAL_SETTINGS = [
  "AWS_ENDPOINT_URL",
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING",
  "PORTICO_TABLE",
  "COGNITO_ISSUER",
  "COGNITO_CLIENT_ID",
  "COGNITO_USER_POOL_ID",
  "COGNITO_DOMAIN_URL",
  "AUTH_SECRET",
  "AUTH_URL",
  "PORTICO_WEBHOOKS_ALLOW_PRIVATE",
  "PORTICO_EMAIL_FROM",
] as const;

/** Who the sandbox's notices come from (the notifier sends as this; the portal's pages say email is on): any address works here. */
export const SANDBOX_EMAIL_FROM = "notifications@portico.localhost";
export type PortalSettings = Record<(typeof PORTAL_SETTINGS)[number], string>;

/** Where the sandbox keeps state: `.sandbox/` unless SANDBOX_STATE_DIR says otherwise. */
export function stateDir(root: string): string {
  return path.resolve(root, process.env.SANDBOX_STATE_DIR ?? ".sandbox");
}

/** A random value kept in `dir`/`file`, made on first use (and gone with the state on a reset). */
function kept(dir: string, file: string): string {
  const at = path.join(dir, file);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(at, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error; // made earlier: kept
  }
  return readFileSync(at, "utf8");
}

export const authSecret = (dir: string) => kept(dir, "auth-secret");
/** What the sandbox's Cognito ids are derived from (local/cognito/ids.ts). */
export const idSeed = (dir: string) => kept(dir, "id-seed");

/**
 * The portal's settings for the sandbox on `port` with its state in `dir`, as the sandbox will
 * have them once seeded. A pool keeps its ids: those endpoints.json recorded at the last start, else
 * the ones the seed's pool and app client will get (derived from the state's id seed). Should the
 * sandbox report others (its state was edited by hand), local/dev.ts restarts Next with those.
 */
export function expectedPortalSettings(dir: string, options: { port: number; portalUrl: string }): PortalSettings {
  const url = `http://localhost:${options.port}`;
  const seed = idSeed(dir);
  const derivedPool = userPoolId(seed, SANDBOX_REGION, USER_POOL_NAME);
  const { poolId, clientId } = recordedCognito(dir) ?? { poolId: derivedPool, clientId: appClientId(seed, derivedPool, APP_CLIENT_NAME) };
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: SANDBOX_REGION,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: "1",
    PORTICO_TABLE: tableName(),
    COGNITO_ISSUER: `${url}/${poolId}`,
    COGNITO_CLIENT_ID: clientId,
    COGNITO_USER_POOL_ID: poolId,
    COGNITO_DOMAIN_URL: url,
    AUTH_SECRET: authSecret(dir),
    AUTH_URL: options.portalUrl,
    // Webhook endpoints on this machine (http://127.0.0.1:…) are what the sandbox's receivers are (lib/webhooks/settings.ts).
    PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1",
    PORTICO_EMAIL_FROM: SANDBOX_EMAIL_FROM,
  };
}

/** The pool and client ids endpoints.json recorded (local/run.ts), if it is there and says. */
function recordedCognito(dir: string): { poolId: string; clientId: string } | undefined {
  try {
    const { cognito } = JSON.parse(readFileSync(path.join(dir, "endpoints.json"), "utf8")) as { cognito?: { userPoolId?: unknown; clientId?: unknown } };
    const [poolId, clientId] = [cognito?.userPoolId, cognito?.clientId];
    return typeof poolId === "string" && typeof clientId === "string" ? { poolId, clientId } : undefined;
  } catch {
    return undefined; // none yet (a first start), or unreadable: the derived ids
  }
}
