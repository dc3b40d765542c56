import { randomBytes, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { AppClient } from "cognito-local/lib/services/appClient.js";
import { attributesAppend, type User, type UserPoolService } from "cognito-local/lib/services/userPoolService.js";
import { CognitoError } from "cognito-local/lib/errors.js";
import { Router } from "cognito-local/lib/server/Router.js";
import { z } from "zod";
import { readBody, sendHtml } from "../http";
import type { EdgeRequest } from "../service";
import { SIGN_UP_NOT_PERMITTED } from "./api";
import type { CognitoDeps } from "./oauth";
import { messagePage, newPasswordPage, PAGE_HEADERS, signInPage, signUpPage, type Brand } from "./pages";
import { describePasswordPolicy, passwordPolicyErrors, TEMPORARY_PASSWORD_EXPIRED, temporaryPasswordExpired } from "./password-policy";
import { findUserPool, quietContext } from "./services";
import { cookie, CSRF_COOKIE, readCookies, sameSecret, SESSION_COOKIE } from "./session";

const WRONG_CREDENTIALS = "Incorrect username or password.";
const EXPIRED_FORM = "This form has expired. Please try again.";

/** The managed-login query every page carries along (/oauth2/authorize, /login, /signup). */
const authorizeQuery = z.object({
  client_id: z.string().min(1).max(128),
  redirect_uri: z.string().min(1).max(2048),
  response_type: z.string().max(64).optional(),
  code_challenge: z.string().max(256).optional(),
  code_challenge_method: z.string().max(16).optional(),
  scope: z.string().max(2048).optional(),
  state: z.string().max(4096).optional(),
  nonce: z.string().max(1024).optional(),
  prompt: z.string().max(64).optional(),
  identity_provider: z.string().max(128).optional(),
});
type AuthorizeQuery = z.infer<typeof authorizeQuery>;

interface AuthorizationRequest {
  client: AppClient;
  pool: UserPoolService;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  prompt: string[];
  /** The validated query, to carry to the next page. */
  query: string;
}

type Resolution =
  { kind: "page"; status: number; title: string; message: string } | { kind: "redirect"; location: string } | { kind: "ok"; request: AuthorizationRequest };

function errorLocation(redirectUri: string, error: string, description: string, state: string | undefined): string {
  const location = new URL(redirectUri);
  location.searchParams.set("error", error);
  location.searchParams.set("error_description", description);
  if (state) location.searchParams.set("state", state);
  return location.toString();
}

/**
 * Validates an authorization request. Problems with the client or the redirect URI are shown
 * to the user (never redirected to an unverified URL); the rest go back to the client (RFC 6749 §4.1.2.1).
 */
async function resolveAuthorization(deps: CognitoDeps, params: URLSearchParams): Promise<Resolution> {
  const parsed = authorizeQuery.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    return {
      kind: "page",
      status: 400,
      title: "Invalid sign-in request",
      message: "The request is missing client_id or redirect_uri, or a parameter is too long.",
    };
  }
  const q: AuthorizeQuery = parsed.data;
  const client = await deps.services.cognito.getAppClient(quietContext, q.client_id);
  const pool = client && (await findUserPool(deps.services.cognito, client.UserPoolId));
  if (!client || !pool) return { kind: "page", status: 400, title: "Invalid sign-in request", message: "The app client does not exist." };
  if (!(client.CallbackURLs ?? []).includes(q.redirect_uri) || !URL.canParse(q.redirect_uri)) {
    return {
      kind: "page",
      status: 400,
      title: "Invalid sign-in request",
      message: "The redirect_uri is not registered as a callback URL for this app client.",
    };
  }
  const fail = (error: string, description: string): Resolution => ({ kind: "redirect", location: errorLocation(q.redirect_uri, error, description, q.state) });
  if (q.response_type !== "code") return fail("unsupported_response_type", "response_type must be code");
  if (!(client.AllowedOAuthFlows ?? []).includes("code")) return fail("unauthorized_client", "The app client does not allow the authorization code flow");
  if (!(client.SupportedIdentityProviders ?? []).includes("COGNITO") || (q.identity_provider && q.identity_provider !== "COGNITO")) {
    return fail("unauthorized_client", "Only the COGNITO identity provider is available in the sandbox");
  }
  // The sandbox always requires PKCE, which public clients need anyway.
  if (!q.code_challenge || !/^[A-Za-z0-9_-]{43,128}$/.test(q.code_challenge)) return fail("invalid_request", "code_challenge is required (PKCE)");
  if (q.code_challenge_method !== "S256") return fail("invalid_request", "code_challenge_method must be S256");
  const allowed = client.AllowedOAuthScopes ?? [];
  const requested = (q.scope ?? "").split(/\s+/).filter(Boolean);
  const scopes = requested.length > 0 ? requested : allowed;
  if (scopes.some((scope) => !allowed.includes(scope))) return fail("invalid_scope", "A requested scope is not allowed for this app client");

  const query = new URLSearchParams(Object.entries(q).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return {
    kind: "ok",
    request: {
      client,
      pool,
      redirectUri: q.redirect_uri,
      codeChallenge: q.code_challenge,
      scopes,
      state: q.state,
      nonce: q.nonce,
      prompt: (q.prompt ?? "").split(/\s+/).filter(Boolean),
      query: query.toString(),
    },
  };
}

function brandOf(request: AuthorizationRequest): Brand {
  return { name: request.pool.options.Name ?? "Sign in", userPoolId: request.pool.options.Id };
}

function addCookie(res: ServerResponse, value: string): void {
  const existing = res.getHeader("set-cookie");
  res.setHeader("set-cookie", [...(Array.isArray(existing) ? existing : existing ? [String(existing)] : []), value]);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
}

async function readForm(req: EdgeRequest): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams((await readBody(req.raw)).toString("utf8")));
}

export function createHostedLogin(deps: CognitoDeps) {
  const secure = deps.ctx.url.startsWith("https:");
  const route = Router(deps.services);
  /** Users who must replace a temporary password: challenge id → who, for 5 minutes. */
  const passwordChallenges = new Map<string, { userPoolId: string; username: string; expiresAt: number }>();

  /** Double-submit CSRF token: the same random value in a SameSite cookie and in the form. */
  function csrfToken(req: EdgeRequest, res: ServerResponse): string {
    const current = readCookies(req.raw).get(CSRF_COOKIE);
    if (current && /^[A-Za-z0-9_-]{32,128}$/.test(current)) return current;
    const token = randomBytes(24).toString("base64url");
    addCookie(res, cookie(CSRF_COOKIE, token, { maxAgeSeconds: 24 * 3600, secure }));
    return token;
  }

  function csrfValid(req: EdgeRequest, form: Record<string, string>): boolean {
    return sameSecret(readCookies(req.raw).get(CSRF_COOKIE), form._csrf);
  }

  function sendPage(res: ServerResponse, status: number, html: string): void {
    sendHtml(res, status, html, PAGE_HEADERS);
  }

  /** Signed in: start (or keep) the session, issue a code and go back to the client. */
  function complete(res: ServerResponse, request: AuthorizationRequest, user: User, session?: { authTime: number }): void {
    let authTime = session?.authTime;
    if (!authTime) {
      const created = deps.sessions.create(request.pool.options.Id, user.Username);
      addCookie(res, cookie(SESSION_COOKIE, created.id, { maxAgeSeconds: deps.sessions.maxAgeSeconds, secure }));
      authTime = created.session.authTime;
    }
    const code = deps.codes.create({
      clientId: request.client.ClientId,
      userPoolId: request.pool.options.Id,
      username: user.Username,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: request.scopes,
      nonce: request.nonce,
      authTime,
    });
    const location = new URL(request.redirectUri);
    location.searchParams.set("code", code);
    if (request.state) location.searchParams.set("state", request.state);
    redirect(res, location.toString());
  }

  const selfSignUp = (request: AuthorizationRequest) => !request.pool.options.AdminCreateUserConfig?.AllowAdminCreateUserOnly;

  function renderSignIn(req: EdgeRequest, res: ServerResponse, request: AuthorizationRequest, status = 200, error?: string, username?: string): void {
    sendPage(
      res,
      status,
      signInPage({
        brand: brandOf(request),
        clientName: request.client.ClientName,
        action: `/login?${request.query}`,
        // A pool where only admins create users offers no sign-up (as AWS's managed login).
        signUpHref: selfSignUp(request) ? `/signup?${request.query}` : undefined,
        csrf: csrfToken(req, res),
        username,
        error,
      }),
    );
  }

  async function resolveOrRespond(req: EdgeRequest, res: ServerResponse): Promise<AuthorizationRequest | undefined> {
    const resolution = await resolveAuthorization(deps, req.url.searchParams);
    if (resolution.kind === "ok") return resolution.request;
    req.raw.resume();
    if (resolution.kind === "redirect") redirect(res, resolution.location);
    else sendPage(res, resolution.status, messagePage(resolution.title, resolution.message));
    return undefined;
  }

  const signInForm = z.object({ username: z.string().trim().min(1).max(256), password: z.string().min(1).max(256) });
  const newPasswordForm = z.object({ challenge: z.string().min(1).max(128), new_password: z.string().min(1).max(256), confirm_password: z.string().max(256) });

  async function setNewPassword(req: EdgeRequest, res: ServerResponse, request: AuthorizationRequest, form: Record<string, string>): Promise<void> {
    const parsed = newPasswordForm.safeParse(form);
    const challenge = parsed.success ? passwordChallenges.get(parsed.data.challenge) : undefined;
    if (!parsed.success || !challenge || challenge.expiresAt < Date.now() || challenge.userPoolId !== request.pool.options.Id) {
      return renderSignIn(req, res, request, 200, EXPIRED_FORM);
    }
    const policy = request.pool.options.Policies?.PasswordPolicy;
    const errors = passwordPolicyErrors(policy, parsed.data.new_password);
    if (parsed.data.new_password !== parsed.data.confirm_password) errors.push("Passwords do not match.");
    if (errors.length > 0) {
      return sendPage(
        res,
        200,
        newPasswordPage({
          brand: brandOf(request),
          action: `/login?${request.query}`,
          csrf: csrfToken(req, res),
          challenge: parsed.data.challenge,
          passwordHint: describePasswordPolicy(policy),
          error: errors,
        }),
      );
    }
    passwordChallenges.delete(parsed.data.challenge);
    const user = await request.pool.getUserByUsername(quietContext, challenge.username);
    // The user may have been deleted, disabled or signed in elsewhere since the challenge began.
    if (!user || user.UserStatus !== "FORCE_CHANGE_PASSWORD") return renderSignIn(req, res, request, 200, EXPIRED_FORM);
    if (!user.Enabled) return renderSignIn(req, res, request, 200, "User is disabled.");
    const updated: User = { ...user, Password: parsed.data.new_password, UserStatus: "CONFIRMED", UserLastModifiedDate: new Date() };
    await request.pool.saveUser(quietContext, updated);
    complete(res, request, updated);
  }

  return {
    // GET /oauth2/authorize and GET /login
    async authorize(req: EdgeRequest, res: ServerResponse): Promise<void> {
      const request = await resolveOrRespond(req, res);
      if (!request) return;
      const session = deps.sessions.get(readCookies(req.raw).get(SESSION_COOKIE));
      if (session && session.userPoolId === request.pool.options.Id && !request.prompt.includes("login")) {
        const user = await request.pool.getUserByUsername(quietContext, session.username);
        if (user?.Enabled && user.UserStatus === "CONFIRMED") return complete(res, request, user, session);
      }
      if (request.prompt.includes("none")) {
        return redirect(res, errorLocation(request.redirectUri, "login_required", "The user is not signed in", request.state));
      }
      renderSignIn(req, res, request);
    },

    // POST /login and POST /oauth2/authorize
    async signIn(req: EdgeRequest, res: ServerResponse): Promise<void> {
      const request = await resolveOrRespond(req, res);
      if (!request) return;
      const form = await readForm(req);
      if (!csrfValid(req, form)) return renderSignIn(req, res, request, 403, EXPIRED_FORM, form.username);
      if (form.challenge !== undefined) return setNewPassword(req, res, request, form);
      const parsed = signInForm.safeParse(form);
      if (!parsed.success) return renderSignIn(req, res, request, 200, "Enter your username and password.", form.username);
      const { username, password } = parsed.data;

      const user = await request.pool.getUserByUsername(quietContext, username);
      // Same answer for an unknown user and a wrong password, so the form reveals neither.
      if (!user || !sameSecret(user.Password, password)) return renderSignIn(req, res, request, 200, WRONG_CREDENTIALS, username);
      if (!user.Enabled) return renderSignIn(req, res, request, 200, "User is disabled.", username);
      if (user.UserStatus === "UNCONFIRMED") return renderSignIn(req, res, request, 200, "User is not confirmed.", username);
      if (user.UserStatus === "RESET_REQUIRED") return renderSignIn(req, res, request, 200, "Password reset required for the user.", username);
      if (user.UserStatus === "FORCE_CHANGE_PASSWORD") {
        if (temporaryPasswordExpired(request.pool.options.Policies?.PasswordPolicy, user.UserLastModifiedDate)) {
          return renderSignIn(req, res, request, 200, TEMPORARY_PASSWORD_EXPIRED, username);
        }
        const challenge = randomBytes(24).toString("base64url");
        for (const [id, pending] of passwordChallenges) if (pending.expiresAt < Date.now()) passwordChallenges.delete(id);
        passwordChallenges.set(challenge, { userPoolId: request.pool.options.Id, username: user.Username, expiresAt: Date.now() + 5 * 60 * 1000 });
        const policy = request.pool.options.Policies?.PasswordPolicy;
        return sendPage(
          res,
          200,
          newPasswordPage({
            brand: brandOf(request),
            action: `/login?${request.query}`,
            csrf: csrfToken(req, res),
            challenge,
            passwordHint: describePasswordPolicy(policy),
          }),
        );
      }
      complete(res, request, user);
    },

    // GET /signup
    async signUpForm(req: EdgeRequest, res: ServerResponse): Promise<void> {
      const request = await resolveOrRespond(req, res);
      if (!request) return;
      if (!selfSignUp(request)) return renderSignIn(req, res, request, 403, SIGN_UP_NOT_PERMITTED);
      renderSignUp(req, res, request, 200, {});
    },

    // POST /signup – SignUp through cognito-local, then confirm as a pre-sign-up trigger with autoConfirmUser + autoVerifyEmail would.
    async signUp(req: EdgeRequest, res: ServerResponse): Promise<void> {
      const request = await resolveOrRespond(req, res);
      if (!request) return;
      const form = await readForm(req);
      if (!selfSignUp(request)) return renderSignIn(req, res, request, 403, SIGN_UP_NOT_PERMITTED);
      const values = { email: form.email?.trim(), name: form.name?.trim() };
      if (!csrfValid(req, form)) return renderSignUp(req, res, request, 403, { values, error: EXPIRED_FORM });

      const fieldErrors: SignUpErrors = {};
      const email = z.email().max(256).safeParse(values.email);
      if (!email.success) fieldErrors.email = "Enter a valid email address.";
      if (!values.name) fieldErrors.name = "Enter your name.";
      else if (values.name.length > 256) fieldErrors.name = "Use at most 256 characters.";
      const password = form.password ?? "";
      const policyErrors = passwordPolicyErrors(request.pool.options.Policies?.PasswordPolicy, password);
      if (password.length > 256) policyErrors.push("Password is too long");
      if (policyErrors.length > 0) fieldErrors.password = `Password did not conform with policy: ${policyErrors.join("; ")}.`;
      if (password !== (form.confirm_password ?? "")) fieldErrors.confirm_password = "Passwords do not match.";
      if (!email.success || Object.keys(fieldErrors).length > 0)
        return renderSignUp(req, res, request, 200, { values, fieldErrors, error: "Please correct the highlighted fields." });

      const address = email.data;
      const users = await request.pool.listUsers(quietContext);
      const taken = users.some((u) => u.Attributes.some((a) => a.Name === "email" && a.Value?.toLowerCase() === address.toLowerCase()));
      if (taken)
        return renderSignUp(req, res, request, 200, {
          values,
          fieldErrors: { email: "An account with the given email already exists." },
          error: "An account with the given email already exists.",
        });

      const options = request.pool.options;
      // Alias pools need a username that is not an email; email-as-username pools map it to the sub themselves.
      const username = options.AliasAttributes?.includes("email") && !options.UsernameAttributes?.includes("email") ? randomUUID() : address;
      let sub: string;
      try {
        const output = (await route("SignUp")(quietContext, {
          ClientId: request.client.ClientId,
          Username: username,
          Password: password,
          UserAttributes: [
            { Name: "email", Value: address },
            { Name: "name", Value: values.name },
          ],
        })) as { UserSub: string };
        sub = output.UserSub;
      } catch (error) {
        if (!(error instanceof CognitoError)) throw error;
        const message = error.code === "UsernameExistsException" ? "An account with the given email already exists." : error.message;
        return renderSignUp(req, res, request, 200, { values, error: message });
      }
      const created = await request.pool.getUserByUsername(quietContext, sub);
      if (!created) throw new Error("SignUp did not store the user");
      const confirmed: User = {
        ...created,
        UserStatus: "CONFIRMED",
        ConfirmationCode: undefined,
        Attributes: attributesAppend(created.Attributes, { Name: "email_verified", Value: "true" }),
      };
      await request.pool.saveUser(quietContext, confirmed);
      complete(res, request, confirmed);
    },

    // GET /logout?client_id&logout_uri, or ?client_id&redirect_uri&response_type… to sign in again
    async logout(req: EdgeRequest, res: ServerResponse): Promise<void> {
      req.raw.resume();
      const parsed = z
        .object({ client_id: z.string().min(1).max(128), logout_uri: z.string().max(2048).optional(), redirect_uri: z.string().max(2048).optional() })
        .safeParse(Object.fromEntries(req.url.searchParams));
      const client = parsed.success ? await deps.services.cognito.getAppClient(quietContext, parsed.data.client_id) : null;
      if (!parsed.success || !client)
        return sendPage(res, 400, messagePage("Invalid sign-out request", "The request is missing client_id or names an app client that does not exist."));
      const { logout_uri, redirect_uri } = parsed.data;
      let location: string;
      if (logout_uri !== undefined) {
        if (!(client.LogoutURLs ?? []).includes(logout_uri)) {
          return sendPage(res, 400, messagePage("Invalid sign-out request", "The logout_uri is not registered as a sign-out URL for this app client."));
        }
        location = logout_uri;
      } else if (redirect_uri !== undefined) {
        if (!(client.CallbackURLs ?? []).includes(redirect_uri)) {
          return sendPage(res, 400, messagePage("Invalid sign-out request", "The redirect_uri is not registered as a callback URL for this app client."));
        }
        location = `/login?${req.url.searchParams.toString()}`;
      } else {
        return sendPage(res, 400, messagePage("Invalid sign-out request", "The request needs a logout_uri, or a redirect_uri to sign in again."));
      }
      deps.sessions.delete(readCookies(req.raw).get(SESSION_COOKIE));
      addCookie(res, cookie(SESSION_COOKIE, "", { maxAgeSeconds: 0, secure }));
      redirect(res, location);
    },
  };

  function renderSignUp(req: EdgeRequest, res: ServerResponse, request: AuthorizationRequest, status: number, state: SignUpState): void {
    sendPage(
      res,
      status,
      signUpPage({
        brand: brandOf(request),
        clientName: request.client.ClientName,
        action: `/signup?${request.query}`,
        signInHref: `/login?${request.query}`,
        csrf: csrfToken(req, res),
        passwordHint: describePasswordPolicy(request.pool.options.Policies?.PasswordPolicy),
        values: state.values ?? {},
        error: state.error,
        fieldErrors: state.fieldErrors ?? {},
      }),
    );
  }
}

type SignUpErrors = Partial<Record<"email" | "name" | "password" | "confirm_password", string>>;
interface SignUpState {
  values?: { email?: string; name?: string };
  fieldErrors?: SignUpErrors;
  error?: string | string[];
}
