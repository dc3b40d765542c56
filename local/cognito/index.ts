import path from "node:path";
import type { ServerResponse } from "node:http";
import type { SandboxContext } from "../context";
import { PayloadTooLarge, sendAwsJsonError, sendJson } from "../http";
import type { EdgeRequest, SandboxService } from "../service";
import { createJsonApi } from "./api";
import { createHostedLogin } from "./hosted-login";
import { AuthorizationCodes, CORS_HEADERS, token, userInfo, wellKnown, type CognitoDeps } from "./oauth";
import { idSeed } from "../settings";
import { createCognitoServices } from "./services";
import { HostedSessions } from "./session";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const HOSTED_PAGES = new Set(["/login", "/signup", "/logout"]);
/** `/<userPoolId>/.well-known/…`; pool ids look like `us-east-1_AbC123456` (from states older than local/cognito/ids.ts: `local_AbC123`). */
const WELL_KNOWN = /^\/([a-z0-9-]+_[0-9A-Za-z]+)\/\.well-known\/(openid-configuration|jwks\.json)$/;
const USERINFO_PATHS = new Set(["/oauth2/userInfo", "/oauth2/userinfo"]);
const MAILBOX = "/_sandbox/cognito/messages";

/**
 * Cognito user pools: cognito-local's user-pool API and services, plus the managed-login pieces
 * it lacks (sign-in and sign-up pages with a session, logout, userInfo, a complete OIDC discovery
 * document, and a token endpoint that accepts client_secret_basic). State lives in `<stateDir>/cognito`.
 */
export async function createCognito(ctx: SandboxContext): Promise<SandboxService> {
  const dir = path.join(ctx.stateDir, "cognito");
  const { services, tokens, mailbox } = await createCognitoServices(path.join(dir, "db"), ctx.url, {
    seed: idSeed(ctx.stateDir),
    region: ctx.region,
    accountId: ctx.accountId,
  });
  const deps: CognitoDeps = { ctx, services, tokens, sessions: new HostedSessions(dir), codes: new AuthorizationCodes() };
  const jsonApi = createJsonApi(deps);
  const hosted = createHostedLogin(deps);

  async function route(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const { pathname } = req.url;
    const method = req.raw.method ?? "GET";
    if (req.target?.startsWith(TARGET_PREFIX) || req.signingName === "cognito-idp") return jsonApi(req, res, ctx.log);

    const wellKnownMatch = WELL_KNOWN.exec(pathname);
    const isOAuthApi = wellKnownMatch !== null || pathname === "/oauth2/token" || USERINFO_PATHS.has(pathname);
    if (method === "OPTIONS" && isOAuthApi) {
      res.writeHead(204, { ...CORS_HEADERS, "access-control-max-age": "600" });
      return void res.end();
    }
    if (wellKnownMatch && method === "GET") return wellKnown(deps, wellKnownMatch[1]!, wellKnownMatch[2]!, res);
    if (pathname === "/oauth2/token") return token(deps, req, res);
    if (USERINFO_PATHS.has(pathname) && (method === "GET" || method === "POST")) return userInfo(deps, req, res);
    if (pathname === "/oauth2/authorize" || pathname === "/login") {
      if (method === "GET") return hosted.authorize(req, res);
      if (method === "POST") return hosted.signIn(req, res);
    }
    if (pathname === "/signup") {
      if (method === "GET") return hosted.signUpForm(req, res);
      if (method === "POST") return hosted.signUp(req, res);
    }
    if (pathname === "/logout" && method === "GET") return hosted.logout(req, res);
    if (pathname === MAILBOX && method === "GET") return sendJson(res, 200, { messages: mailbox.list() });
    req.raw.resume();
    const known = !pathname.startsWith("/oauth2/") || pathname === "/oauth2/authorize" || USERINFO_PATHS.has(pathname);
    sendJson(res, known ? 405 : 404, { error: known ? "method_not_allowed" : "not_found", message: `Cognito sandbox has no ${method} ${pathname}` });
  }

  return {
    name: "cognito-idp",
    claims: (req) =>
      req.target?.startsWith(TARGET_PREFIX) === true ||
      req.signingName === "cognito-idp" ||
      req.url.pathname.startsWith("/oauth2/") ||
      HOSTED_PAGES.has(req.url.pathname) ||
      WELL_KNOWN.test(req.url.pathname) ||
      req.url.pathname === MAILBOX,
    handle: async (req, res) => {
      try {
        await route(req, res);
      } catch (error) {
        if (!(error instanceof PayloadTooLarge)) throw error;
        sendJson(res, 413, { error: "invalid_request", message: error.message });
      }
    },
    writeFault: (res, kind) =>
      kind === "throttle"
        ? sendAwsJsonError(res, 400, "TooManyRequestsException", "Rate exceeded")
        : sendAwsJsonError(res, 500, "InternalErrorException", "Internal error (injected by the sandbox)"),
  };
}
