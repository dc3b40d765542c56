// Where the sandbox keeps its state and what a portal needs from it, without loading the sandbox:
// `npm run dev` reads these before it starts anything (local/dev.ts).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

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
    return { ...endpoints.env, AUTH_SECRET: authSecret(dir) };
  } catch {
    return undefined; // unreadable: start as on a first start
  }
}

