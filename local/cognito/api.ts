import type { ServerResponse } from "node:http";
import { CognitoError, UnsupportedError } from "cognito-local/lib/errors.js";
import { Router } from "cognito-local/lib/server/Router.js";
import type { Services } from "cognito-local/lib/services/index.js";
import type { UserPoolService } from "cognito-local/lib/services/userPoolService.js";
import { PayloadTooLarge, readBody, sendAwsJsonError } from "../http";
import type { EdgeRequest } from "../service";
import { passwordPolicyErrors } from "./password-policy";
import { quietContext } from "./services";
import type { TokenIssuer } from "./tokens";

type Body = Record<string, unknown>;
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

// Dates go out as epoch seconds, like AWS (same replacer as cognito-local's server).
function awsJson(output: unknown): string {
  return JSON.stringify(output ?? {}, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? Math.floor(raw.getTime() / 1000) : value;
  });
}

/**
 * The user-pool JSON API (`X-Amz-Target: AWSCognitoIdentityProviderService.*`), answered by
 * cognito-local's targets, plus checks it skips: password policy, access-token signature and
 * expiry, and CreateGroup on an existing group.
 */
export function createJsonApi(services: Services, tokens: TokenIssuer) {
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
      if (user && !user.Enabled) throw new CognitoError("NotAuthorizedException", "User is disabled.");
    }
    if (operation === "CreateGroup" && typeof body.GroupName === "string") {
      const pool = await poolFor({ userPoolId: text(body.UserPoolId) });
      if (await pool?.getGroupByGroupName(quietContext, body.GroupName)) throw new CognitoError("GroupExistsException", "A group with the name already exists.");
    }
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
      const output: unknown = await route(operation)(quietContext, body);
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
        if (operation.endsWith("InitiateAuth") && (error.code === "InvalidPasswordException" || error.code === "NotAuthorizedException")) {
          return sendAwsJsonError(res, 400, "NotAuthorizedException", "Incorrect username or password.");
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
