import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetGroupCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
  type AttributeType,
  type UserPoolDescriptionType,
} from "@aws-sdk/client-cognito-identity-provider";
import { APP_CLIENT_NAME, USER_POOL_NAME } from "./ids";

export const ADMIN_GROUP = "admins";

export interface SeedCognitoOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  callbackUrls: string[];
  logoutUrls: string[];
  users: { username: string; email: string; name: string; password: string; groups: string[] }[];
}

export interface SeededCognito {
  userPoolId: string;
  clientId: string;
  issuer: string;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === "ResourceNotFoundException" || name === "UserNotFoundException";
}

/**
 * Creates (or brings up to date) the portal's user pool through the real SDK: pool `portico`
 * (email as username, password policy), group `admins`, public app client `portico-web` for the
 * code flow, and the given users with permanent passwords. Safe to run on every start.
 *
 * Gaps in cognito-local worked around here: no CreateUserPoolDomain (the sandbox serves managed
 * login at its edge URL instead), and CreateGroup would overwrite an existing group's members
 * (the sandbox now refuses it, so groups are looked up first).
 */
export async function seedCognito(opts: SeedCognitoOptions): Promise<SeededCognito> {
  const client = new CognitoIdentityProviderClient({ endpoint: opts.endpoint, region: opts.region, credentials: opts.credentials });
  try {
    const userPoolId = (await findUserPool(client)) ?? (await createUserPool(client));
    const clientId = await upsertAppClient(client, userPoolId, opts);

    const groups = new Set([ADMIN_GROUP, ...opts.users.flatMap((u) => u.groups)]);
    for (const GroupName of groups) {
      try {
        await client.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await client.send(
          new CreateGroupCommand({ UserPoolId: userPoolId, GroupName, Description: GroupName === ADMIN_GROUP ? "Portal administrators" : undefined }),
        );
      }
    }

    for (const user of opts.users) {
      // The pool signs in by email, so the email is the Cognito username (AWS then keys the user by its sub).
      const Username = user.email;
      const attributes: AttributeType[] = [
        { Name: "email", Value: user.email },
        { Name: "email_verified", Value: "true" },
        { Name: "name", Value: user.name },
        ...(user.username !== user.email ? [{ Name: "preferred_username", Value: user.username }] : []),
      ];
      const exists = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username })).then(
        () => true,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      );
      if (exists) await client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username, UserAttributes: attributes }));
      else await client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username, UserAttributes: attributes, MessageAction: "SUPPRESS" }));
      await client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username, Password: user.password, Permanent: true }));
      for (const GroupName of user.groups) await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username, GroupName }));
    }

    return { userPoolId, clientId, issuer: `${opts.endpoint.replace(/\/+$/, "")}/${userPoolId}` };
  } finally {
    client.destroy();
  }
}

async function findUserPool(client: CognitoIdentityProviderClient): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    const pool = (page.UserPools ?? []).find((p: UserPoolDescriptionType) => p.Name === USER_POOL_NAME);
    if (pool?.Id) return pool.Id;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

async function createUserPool(client: CognitoIdentityProviderClient): Promise<string> {
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: USER_POOL_NAME,
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
          TemporaryPasswordValidityDays: 7,
        },
      },
      Schema: [
        { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
        { Name: "name", AttributeDataType: "String", Required: false, Mutable: true },
      ],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
    }),
  );
  if (!UserPool?.Id) throw new Error("CreateUserPool returned no pool id");
  return UserPool.Id;
}

async function upsertAppClient(client: CognitoIdentityProviderClient, userPoolId: string, opts: SeedCognitoOptions): Promise<string> {
  // Every setting is sent on update too: UpdateUserPoolClient resets omitted fields on AWS.
  const settings = {
    UserPoolId: userPoolId,
    ClientName: APP_CLIENT_NAME,
    AllowedOAuthFlows: ["code" as const],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ["openid", "email", "profile"],
    CallbackURLs: opts.callbackUrls,
    LogoutURLs: opts.logoutUrls,
    SupportedIdentityProviders: ["COGNITO"],
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const],
    PreventUserExistenceErrors: "ENABLED" as const,
    EnableTokenRevocation: true,
  };
  const existing = (await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }))).UserPoolClients?.find(
    (c) => c.ClientName === APP_CLIENT_NAME,
  );
  if (existing?.ClientId) {
    await client.send(new UpdateUserPoolClientCommand({ ...settings, ClientId: existing.ClientId }));
    return existing.ClientId;
  }
  const { UserPoolClient } = await client.send(new CreateUserPoolClientCommand({ ...settings, GenerateSecret: false }));
  if (!UserPoolClient?.ClientId) throw new Error("CreateUserPoolClient returned no client id");
  return UserPoolClient.ClientId;
}
