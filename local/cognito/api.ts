import type { ServerResponse } from "node:http";
import { CognitoError, InvalidParameterError, UnsupportedError, UserNotFoundError } from "cognito-local/lib/errors.js";
import { Router } from "cognito-local/lib/server/Router.js";
import type { DeliveryDetails } from "cognito-local/lib/services/messageDelivery/messageDelivery.js";
import { attributeValue, type User, type UserPoolService } from "cognito-local/lib/services/userPoolService.js";
import { groupToResponseObject, userToResponseObject } from "cognito-local/lib/targets/responses.js";
import { PayloadTooLarge, readBody, sendAwsJsonError } from "../http";
import type { EdgeRequest } from "../service";
import type { CognitoDeps } from "./oauth";
import { generateTemporaryPassword, passwordPolicyErrors } from "./password-policy";

/** What Cognito says when a pool lets only admins create users (AllowAdminCreateUserOnly). */
export const SIGN_UP_NOT_PERMITTED = "SignUp is not permitted for this user pool";
import { quietContext } from "./services";

type Body = Record<string, unknown>;
const USER_DISABLED = "User is disabled.";
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Where each password-setting operation carries the password and how to find its pool. */
const PASSWORD_FIELDS: Record<string, (body: Body) => { password?: string; userPoolId?: string; clientId?: string }> = {
  SignUp: (b) => ({ password: text(b.Password), clientId: text(b.ClientId) }),
  ConfirmForgotPassword: (b) => ({ password: text(b.Password), clientId: text(b.ClientId) }),
  AdminSetUserPassword: (b) => ({ password: text(b.Password), userPoolId: text(b.UserPoolId) }),
  AdminCreateUser: (b) => ({ password: text(b.TemporaryPassword), userPoolId: text(b.UserPoolId) }),
  RespondToAuthChallenge: (b) => ({ password: text((b.ChallengeResponses as Body | undefined)?.NEW_PASSWORD), clientId: text(b.ClientId) }),
  ChangePassword: (b) => ({ password: text(b.ProposedPassword) }),
};

/** Operations after which AWS revokes the user's tokens: the sandbox signs them out everywhere. */
const SIGN_OUT_AFTER = new Set(["AdminDisableUser", "AdminDeleteUser"]);

/** Where an invitation goes, chosen as AWS and cognito-local do: SMS first when both are wanted. */
function deliveryFor(mediums: unknown, user: User): DeliveryDetails | undefined {
  const wanted = Array.isArray(mediums) ? mediums : ["SMS"];
  const phone = attributeValue("phone_number", user.Attributes);
  if (wanted.includes("SMS") && phone) return { AttributeName: "phone_number", DeliveryMedium: "SMS", Destination: phone };
  const email = attributeValue("email", user.Attributes);
  if (wanted.includes("EMAIL") && email) return { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: email };
  return undefined;
}

// Dates go out as epoch seconds, like AWS (same replacer as cognito-local's server).
function awsJson(output: unknown): string {
  return JSON.stringify(output ?? {}, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? Math.floor(raw.getTime() / 1000) : value;
  });
}

/**
 * The user-pool JSON API (`X-Amz-Target: AWSCognitoIdentityProviderService.*`), answered by
 * cognito-local's targets, plus checks it skips (password policy, access-token signature and
 * expiry, CreateGroup on an existing group, SignUp in a pool where only admins create users) and
 * what it lacks: AdminUserGlobalSignOut, AdminListGroupsForUser by an email alias,
 * AdminCreateUser with MessageAction RESEND, policy-conforming temporary passwords, and
 * revoking a user's tokens and managed-login sessions when they are disabled or deleted.
 */
export function createJsonApi(deps: CognitoDeps) {
  const { services, tokens } = deps;
  const route = Router(services);

  async function poolFor(ref: { userPoolId?: string; clientId?: string }): Promise<UserPoolService | undefined> {
    if (ref.userPoolId) return services.cognito.getUserPool(quietContext, ref.userPoolId);
    if (ref.clientId) return services.cognito.getUserPoolForClientId(quietContext, ref.clientId);
    return undefined;
  }

  async function precheck(operation: string, body: Body): Promise<void> {
    let accessTokenClientId: string | undefined;
    const accessToken = text(body.AccessToken);
    if (accessToken !== undefined) {
      const check = tokens.verifyAccessToken(accessToken);
      if (!check.ok) throw new CognitoError("NotAuthorizedException", check.reason === "expired" ? "Access Token has expired" : "Invalid Access Token");
      accessTokenClientId = check.claims.client_id;
    }
    const fields = PASSWORD_FIELDS[operation]?.(body);
    if (fields?.password !== undefined) {
      const pool = await poolFor({ clientId: accessTokenClientId, ...fields });
      const errors = passwordPolicyErrors(pool?.options.Policies?.PasswordPolicy, fields.password);
      if (errors.length > 0) throw new CognitoError("InvalidPasswordException", `Password did not conform with policy: ${errors[0]}`);
    }
    const username = text((body.AuthParameters as Body | undefined)?.USERNAME);
    if (operation.endsWith("InitiateAuth") && username !== undefined) {
      const pool = await poolFor({ clientId: text(body.ClientId) });
      const user = await pool?.getUserByUsername(quietContext, username);
      if (user && !user.Enabled) throw new CognitoError("NotAuthorizedException", USER_DISABLED);
    }
    if (operation === "CreateGroup" && typeof body.GroupName === "string") {
      const pool = await poolFor({ userPoolId: text(body.UserPoolId) });
      if (await pool?.getGroupByGroupName(quietContext, body.GroupName))
        throw new CognitoError("GroupExistsException", "A group with the name already exists.");
    }
  }

  /** The pool and user a request names, with AWS's errors when either is missing. */
  async function requireUser(body: Body): Promise<{ pool: UserPoolService; user: User }> {
    const userPoolId = text(body.UserPoolId);
    const username = text(body.Username);
    if (!userPoolId || !username) throw new InvalidParameterError("UserPoolId and Username are required");
    const pool = await services.cognito.getUserPool(quietContext, userPoolId);
    const user = await pool.getUserByUsername(quietContext, username);
    if (!user) throw new UserNotFoundError("User does not exist.");
    return { pool, user };
  }

  /** Revokes the user's refresh tokens, ends their managed-login sessions and drops their unused codes. */
  async function signOutEverywhere(pool: UserPoolService, username: string): Promise<void> {
    const user = await pool.getUserByUsername(quietContext, username);
    if (user) await pool.saveUser(quietContext, { ...user, RefreshTokens: [] });
    deps.sessions.deleteForUser(pool.options.Id, username);
    deps.codes.deleteForUser(pool.options.Id, username);
  }

  /** MessageAction RESEND: a new temporary password and invitation, only before the first sign-in (as on AWS). */
  async function resendInvitation(body: Body): Promise<unknown> {
    const { pool, user } = await requireUser(body);
    if (user.UserStatus !== "FORCE_CHANGE_PASSWORD") {
      throw new CognitoError("UnsupportedUserStateException", `Resend not possible. ${user.Username} status is ${user.UserStatus}.`);
    }
    const delivery = deliveryFor(body.DesiredDeliveryMediums, user);
    if (!delivery) throw new InvalidParameterError("User has no attribute matching desired delivery mediums");
    const password = text(body.TemporaryPassword) ?? generateTemporaryPassword(pool.options.Policies?.PasswordPolicy);
    // A new password also restarts the temporary password's validity, which counts from the last change.
    const updated: User = { ...user, Password: password, UserLastModifiedDate: services.clock.get() };
    await pool.saveUser(quietContext, updated);
    const metadata = body.ClientMetadata as Record<string, string> | undefined;
    await services.messages.deliver(quietContext, "AdminCreateUser", null, pool.options.Id, updated, password, metadata, delivery);
    return { User: userToResponseObject(updated) };
  }

  async function run(operation: string, body: Body): Promise<unknown> {
    if (operation === "SignUp") {
      const pool = await poolFor({ clientId: text(body.ClientId) });
      if (pool?.options.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw new CognitoError("NotAuthorizedException", SIGN_UP_NOT_PERMITTED);
    }
    if (operation === "AdminUserGlobalSignOut") {
      const { pool, user } = await requireUser(body);
      await signOutEverywhere(pool, user.Username);
      return {};
    }
    if (operation === "AdminListGroupsForUser") {
      // cognito-local matches members by the name given; Cognito resolves an email alias to the user first.
      const { pool, user } = await requireUser(body);
      const groups = (await pool.listGroups(quietContext)).filter((g) => g.members?.includes(user.Username));
      return { Groups: groups.map(groupToResponseObject(pool.options.Id)) };
    }
    if (operation === "AdminCreateUser" && body.MessageAction === "RESEND") return resendInvitation(body);
    if (operation === "AdminCreateUser" && body.TemporaryPassword === undefined) {
      const pool = await poolFor({ userPoolId: text(body.UserPoolId) });
      if (pool) body.TemporaryPassword = generateTemporaryPassword(pool.options.Policies?.PasswordPolicy);
    }
    if (SIGN_OUT_AFTER.has(operation)) {
      const { pool, user } = await requireUser(body);
      const output: unknown = await route(operation)(quietContext, body);
      await signOutEverywhere(pool, user.Username);
      return output;
    }
    return route(operation)(quietContext, body);
  }

  return async function handleJsonApi(req: EdgeRequest, res: ServerResponse, log: (message: string) => void): Promise<void> {
    const operation = req.target?.split(".")[1];
    if (req.raw.method !== "POST" || !operation) {
      req.raw.resume();
      return sendAwsJsonError(res, 400, "UnknownOperationException", "Expected a POST with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>");
    }
    let body: unknown;
    try {
      const raw = await readBody(req.raw);
      body = raw.length === 0 ? {} : JSON.parse(raw.toString("utf8"));
    } catch (error) {
      const tooLarge = error instanceof PayloadTooLarge;
      return sendAwsJsonError(res, tooLarge ? 413 : 400, "SerializationException", tooLarge ? "Request body too large" : "Request body is not valid JSON");
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      return sendAwsJsonError(res, 400, "SerializationException", "Request body must be a JSON object");
    }
    try {
      await precheck(operation, body as Body);
      const output = await run(operation, body as Body);
      const payload = awsJson(output);
      res.writeHead(200, {
        "content-type": "application/x-amz-json-1.1",
        "content-length": Buffer.byteLength(payload),
        "x-amzn-requestid": crypto.randomUUID(),
      });
      res.end(payload);
    } catch (error) {
      if (error instanceof CognitoError) {
        // cognito-local tells a wrong password apart (InvalidPasswordException); Cognito does not.
        const authFailure = error.code === "InvalidPasswordException" || (error.code === "NotAuthorizedException" && error.message !== USER_DISABLED);
        if (operation.endsWith("InitiateAuth") && authFailure) {
          const refresh = String((body as Body).AuthFlow).startsWith("REFRESH_TOKEN");
          return sendAwsJsonError(res, 400, "NotAuthorizedException", refresh ? "Invalid Refresh Token" : "Incorrect username or password.");
        }
        return sendAwsJsonError(res, 400, error.code, error.message);
      }
      if (error instanceof UnsupportedError) {
        return sendAwsJsonError(res, 400, "UnsupportedOperationException", `Not supported by the sandbox (cognito-local): ${error.message}`);
      }
      // cognito-local does not validate its input: a missing required field surfaces as a TypeError.
      if (error instanceof TypeError) {
        return sendAwsJsonError(res, 400, "InvalidParameterException", `Invalid or missing parameters for ${operation}`);
      }
      // Never log the request: it may hold passwords or tokens.
      log(`cognito-idp ${operation} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      sendAwsJsonError(res, 500, "InternalErrorException", "Internal error in the sandbox");
    }
  };
}
