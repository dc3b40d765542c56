// Where the sandbox keeps its state and what a portal needs from it, without loading the sandbox:
// `npm run dev` reads these before it starts anything (local/dev.ts).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

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
] as const;

/** Where the sandbox keeps state: `.sandbox/` unless SANDBOX_STATE_DIR says otherwise. */
export function stateDir(root: string): string {
  return path.resolve(root, process.env.SANDBOX_STATE_DIR ?? ".sandbox");
}

export function authSecret(dir: string): string {
  const file = path.join(dir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8");
}

/**
 * The portal's settings as the sandbox in `dir` wrote them at its last start (endpoints.json), if
 * it was for the same ports: its ids survive restarts with its state, so a portal may start with
 * them before the sandbox is up again. Undefined on a first start or after a reset.
 */
export function keptEnv(dir: string, options: { port: number; portalUrl: string }): Record<string, string> | undefined {
  const file = path.join(dir, "endpoints.json");
  if (!existsSync(file)) return undefined;
  try {
    const endpoints = JSON.parse(readFileSync(file, "utf8")) as { edge?: string; portal?: string; env?: Record<string, string> };
    if (endpoints.edge !== `http://localhost:${options.port}` || endpoints.portal !== options.portalUrl || !endpoints.env) return undefined;
    // Only the settings the sandbox writes, all of them: nothing else in that file reaches Next.
    const env: Record<string, string> = { AUTH_SECRET: authSecret(dir) };
    for (const name of PORTAL_SETTINGS) {
      const value = endpoints.env[name];
      if (name !== "AUTH_SECRET" && typeof value !== "string") return undefined;
      if (name !== "AUTH_SECRET") env[name] = value!;
    }
    return env;
  } catch {
    return undefined; // unreadable: start as on a first start
  }
}

