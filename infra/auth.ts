import { ADMINS_GROUP, defaultDomainPrefix, managedLoginHost, managedLoginUrl, userPoolOptions, webClientOptions, webClientUrls } from "./lib/cognito";
import type { StageSettings } from "./lib/settings";

/**
 * Cognito: the user pool behind the managed login (passwords, optional TOTP MFA, passkeys), the
 * `admins` group, and the portal's confidential web client whose URLs follow the site's URL.
 */
export function createAuth(settings: StageSettings, context: { accountId: string; siteUrl: $util.Output<string> }) {
  const prefix = settings.auth.domainPrefix ?? defaultDomainPrefix($app.name, $app.stage, context.accountId);
  const pool = new sst.aws.CognitoUserPool(
    "Users",
    {
      domain: { prefix },
      transform: {
        userPool: userPoolOptions(settings.auth, { loginHost: managedLoginHost(prefix, settings.region), retainData: settings.retainData }),
        // Version 2 is the managed login (passkeys, branding); version 1 is the classic hosted UI.
        domain: { managedLoginVersion: 2 },
      },
    },
    // Users cannot be recreated from anywhere else: keep the pool when the stage is removed.
    { retainOnDelete: settings.retainData },
  );

  new aws.cognito.UserGroup("AdminsGroup", {
    userPoolId: pool.id,
    name: ADMINS_GROUP,
    description: "Portico administrators: users, keys, approvals and catalog visibility",
  });

  const urls = context.siteUrl.apply(webClientUrls);
  const client = new aws.cognito.UserPoolClient("WebClient", {
    name: `${$app.name}-${$app.stage}-web`,
    userPoolId: pool.id,
    ...webClientOptions(settings.auth),
    callbackUrls: urls.callbackUrls,
    logoutUrls: urls.logoutUrls,
  });

  // Managed login shows an error page to clients without a style: use Cognito's default look.
  new aws.cognito.ManagedLoginBranding("LoginStyle", {
    userPoolId: pool.id,
    clientId: client.id,
    useCognitoProvidedValues: true,
  });

  return { pool, client, loginUrl: managedLoginUrl(prefix, settings.region) };
}

export type Auth = ReturnType<typeof createAuth>;
