// The portal as the benchmarks run it: `next build` into a folder of its own (reused while the
// sources are unchanged), `next start` against a spawned sandbox, browsers that keep cookies and
// sign in through the sandbox's hosted login, and the sandbox's control-plane call counters.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runChild, startChild, waitForHttp, type Child } from "./processes";
import { root, step, type Cleanup } from "./support";

export const nextBin = path.join(root, "node_modules/next/dist/bin/next");
/** Kept between runs (under the git-ignored .sandbox/) and reused while the portal's sources are unchanged. */
export const PORTAL_DIST_DIR = ".sandbox/bench-portal";
const INPUTS_STAMP = "bench-inputs.sha256";

/** The portal and the sandbox announce themselves as http://localhost:<port> but listen on 127.0.0.1. */
export function loopback(url: string): string {
  return url.replace(/^(https?:\/\/)localhost(?=[:/]|$)/, "$1127.0.0.1");
}

// ---------------------------------------------------------------------------------------------
// Building and starting the portal.

/** A digest of what `next build` reads, so an unchanged portal is not built twice. */
export function buildInputs(): string {
  const listed = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root }).toString().split("\0").filter(Boolean);
  const hash = createHash("sha256");
  hash.update(`node ${process.version}\n`);
  hash.update(readFileSync(path.join(root, "node_modules/next/package.json")));
  for (const file of listed.sort()) {
    if (/^(bench|e2e|tests|infra|local|\.ci)\//.test(file) || /^[^/]+\.md$/.test(file)) continue;
    const full = path.join(root, file);
    if (!existsSync(full)) continue; // deleted, not yet staged
    hash.update(`${file}\n`);
    hash.update(readFileSync(full));
  }
  return hash.digest("hex");
}

/** The environment of `next build` and `next start` building into `distDir` (bench/next-dist-dir.cjs) instead of .next. */
export function nextEnv(distDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
    BENCH_NEXT_DIST_DIR: distDir,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require=${path.join(root, "bench/next-dist-dir.cjs")}`].filter(Boolean).join(" "),
  };
}

/**
 * `next build` into `distDir` (relative to the project) with `env` added, skipped when a build from
 * the same sources and env is there (BENCH_REBUILD=1 forces one). Returns the environment to start it with.
 */
export async function buildPortal(
  cleanup: Cleanup,
  options: { distDir?: string; env?: Record<string, string> } = {},
): Promise<{ distDir: string; env: NodeJS.ProcessEnv }> {
  const distDir = options.distDir ?? PORTAL_DIST_DIR;
  mkdirSync(path.join(root, distDir), { recursive: true });
  const env = nextEnv(distDir, options.env);
  const inputs = `${buildInputs()}\n${JSON.stringify(options.env ?? {})}`;
  const stamp = path.join(root, distDir, INPUTS_STAMP);
  const fresh =
    existsSync(path.join(root, distDir, "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === inputs && process.env.BENCH_REBUILD !== "1";
  if (fresh) {
    console.log(`  portal: next build skipped (${distDir}/ was built from the same sources; BENCH_REBUILD=1 forces one)`);
    return { distDir, env };
  }
  const done = step(`portal: next build (into ${distDir}/)`);
  if (existsSync(stamp)) writeFileSync(stamp, "");
  await runChild("next build", [nextBin, "build"], {
    cwd: root,
    env: { ...env, NODE_ENV: "production" },
    timeoutMs: 10 * 60_000,
    onStart: (build) =>
      cleanup.add(
        "next build",
        () => build.stop(),
        () => build.terminate(),
      ),
  });
  if (!existsSync(path.join(root, distDir, "BUILD_ID")))
    throw new Error(`next build did not write ${distDir}/BUILD_ID: bench/next-dist-dir.cjs no longer redirects Next's distDir`);
  writeFileSync(stamp, inputs);
  done();
  return { distDir, env };
}

/**
 * `next start` on 127.0.0.1:`port` with the sandbox's environment (its endpoints.json), a fresh
 * AUTH_SECRET, stopped by `cleanup`; resolves once `/` answers. `url` is http://localhost:<port>,
 * the origin the sandbox's Cognito client redirects back to.
 */
export async function startPortal(
  cleanup: Cleanup,
  options: { port: number; sandboxStateDir: string; env: NodeJS.ProcessEnv; authSecret?: string },
): Promise<{ url: string; child: Child }> {
  const url = `http://localhost:${options.port}`;
  const endpoints = JSON.parse(readFileSync(path.join(options.sandboxStateDir, "endpoints.json"), "utf8")) as { env: Record<string, string> };
  const child = startChild("next start", [nextBin, "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...options.env,
      ...endpoints.env,
      NODE_ENV: "production",
      // A fleet of instances shares one (a session from any of them is good on all): `authSecret`.
      AUTH_SECRET: options.authSecret ?? randomBytes(32).toString("base64url"),
      AUTH_URL: url,
    },
  });
  cleanup.add(
    "next start",
    () => child.stop(),
    () => child.terminate(),
  );
  await waitForHttp(`${loopback(url)}/`, 60_000, child);
  return { url, child };
}

// ---------------------------------------------------------------------------------------------
// HTTP as a browser does it: one cookie jar per user, redirects followed by hand.

export interface Reply {
  status: number;
  location?: string;
  text: string;
  /** Time to the full response (headers and the whole body). */
  ms: number;
  /** The Retry-After header, if any (429 and 503). */
  retryAfter?: string;
}

let browsers = 0;
/** A made-up address of its own for each simulated browser (10.0.0.1, 10.0.0.2, …): the portal limits sign-ins and changes per IP. */
const nextClientIp = () => {
  const n = ++browsers;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

/** A user's browser: cookies by name (the portal's authjs.* and the hosted login's never collide). */
export class Browser {
  private readonly jar = new Map<string, string>();

  /**
   * `headers` go with every request. By default an X-Forwarded-For of its own: locally the portal
   * reads a client's IP from its last entry, so simulated users don't share one address's limits.
   */
  constructor(private readonly extraHeaders: Record<string, string> = { "x-forwarded-for": nextClientIp() }) {}

  has(cookie: string): boolean {
    return this.jar.has(cookie);
  }

  async request(url: string, init: { method?: string; json?: unknown; form?: Record<string, string> } = {}): Promise<Reply> {
    const method = init.method ?? "GET";
    const headers: Record<string, string> = {
      ...this.extraHeaders,
      cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "),
      accept: "text/html,application/json",
    };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    // The portal refuses state changes from other origins; a browser sends the page's own (same-origin here).
    if (method !== "GET") headers.origin = new URL(url).origin;
    const started = performance.now();
    const res = await fetch(loopback(url), { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    const elapsed = performance.now() - started;
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=(0|-)/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) <= Date.now()));
      if (expired || !value) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const location = res.headers.get("location");
    const retryAfter = res.headers.get("retry-after");
    return {
      status: res.status,
      text,
      ms: elapsed,
      ...(location ? { location: new URL(location, url).toString() } : {}),
      ...(retryAfter !== null ? { retryAfter } : {}),
    };
  }
}

const failure = (who: string, what: string, reply: Reply) =>
  new Error(`${who}: ${what} answered ${reply.status}${reply.location ? ` → ${reply.location}` : ""}\n${reply.text.slice(0, 400)}`);

/** Follows the hosted login's answer back to the portal: the Auth.js callback sets the session cookie. */
async function finishSignIn(browser: Browser, who: string, posted: Reply): Promise<Browser> {
  if (posted.status !== 302 || !posted.location?.includes("/api/auth/callback/cognito")) throw failure(who, "the hosted login", posted);
  const callback = await browser.request(posted.location);
  if (callback.status < 300 || callback.status >= 400 || !browser.has("authjs.session-token")) throw failure(who, "the Auth.js callback", callback);
  return browser;
}

/**
 * Registers on the sandbox's hosted login and signs in to the portal, over plain HTTP: the portal's
 * /register starts Auth.js's authorization request (PKCE, state, nonce cookies) and sends us to the
 * managed login's /signup; its form posts back a code to /api/auth/callback/cognito, which sets the
 * session cookie.
 */
export async function signUp(
  portal: string,
  user: { email: string; name: string; password: string },
  options: { headers?: Record<string, string> } = {},
): Promise<Browser> {
  const browser = new Browser(options.headers);
  const who = `sign-up of ${user.email}`;
  const start = await browser.request(`${portal}/register`);
  if (start.status < 300 || start.status >= 400 || !start.location) throw failure(who, "GET /register", start);
  const signupUrl = start.location;
  const form = await browser.request(signupUrl);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  if (form.status !== 200 || !csrf) throw failure(who, "GET /signup", form);
  const posted = await browser.request(signupUrl, {
    method: "POST",
    form: { _csrf: csrf, email: user.email, name: user.name, password: user.password, confirm_password: user.password },
  });
  return finishSignIn(browser, who, posted);
}

/**
 * Signs an existing user in, as the sign-in page's button does: Auth.js's POST
 * /api/auth/signin/cognito (with its CSRF token) starts the authorization request and sends us to
 * the managed login, whose form posts the code back to the portal.
 */
export async function signIn(portal: string, user: { email: string; password: string }): Promise<Browser> {
  const browser = new Browser();
  const who = `sign-in of ${user.email}`;
  const csrfReply = await browser.request(`${portal}/api/auth/csrf`);
  const csrfToken = csrfReply.status === 200 ? (JSON.parse(csrfReply.text) as { csrfToken?: string }).csrfToken : undefined;
  if (!csrfToken) throw failure(who, "GET /api/auth/csrf", csrfReply);
  const start = await browser.request(`${portal}/api/auth/signin/cognito`, { method: "POST", form: { csrfToken, callbackUrl: `${portal}/dashboard` } });
  if (start.status < 300 || start.status >= 400 || !start.location) throw failure(who, "POST /api/auth/signin/cognito", start);
  const loginUrl = start.location;
  const form = await browser.request(loginUrl);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  if (form.status !== 200 || !csrf) throw failure(who, "GET the hosted login", form);
  const action = /<form[^>]*action="([^"]+)"/.exec(form.text)?.[1]?.replaceAll("&amp;", "&");
  const posted = await browser.request(action ? new URL(action, loginUrl).toString() : loginUrl, {
    method: "POST",
    form: { _csrf: csrf, username: user.email, password: user.password },
  });
  return finishSignIn(browser, who, posted);
}

// ---------------------------------------------------------------------------------------------

/** The sandbox's count of API Gateway control-plane calls (every request, throttled ones too). */
export class ControlPlaneCounters {
  constructor(readonly url: string) {}

  async calls(): Promise<{ calls: Record<string, number>; throttled: number }> {
    const res = await fetch(`${loopback(this.url)}/_sandbox/apigateway/calls`);
    const text = await res.text();
    const body = JSON.parse(text) as { calls?: Record<string, number>; throttled?: number };
    if (res.status !== 200 || !body.calls || typeof body.throttled !== "number")
      throw new Error(`GET /_sandbox/apigateway/calls answered ${res.status}: ${text.slice(0, 300)}`);
    return { calls: body.calls, throttled: body.throttled };
  }

  /** All calls counted since the last reset. */
  async total(): Promise<number> {
    return Object.values((await this.calls()).calls).reduce((a, b) => a + b, 0);
  }

  /** Zeroes the counters (and refills the budget's buckets). */
  async reset(): Promise<void> {
    const res = await fetch(`${loopback(this.url)}/_sandbox/apigateway/calls`, { method: "DELETE" });
    await res.arrayBuffer();
  }
}
