import { getConfig } from "../config";

/** Cognito's managed-login logout: ends the Cognito session too, then returns to the portal. */
export function cognitoLogoutUrl(): string {
  const config = getConfig();
  const url = new URL("/logout", config.COGNITO_DOMAIN_URL);
  url.searchParams.set("client_id", config.COGNITO_CLIENT_ID);
  url.searchParams.set("logout_uri", new URL("/", config.AUTH_URL).toString());
  return url.toString();
}

/** The managed login's sign-up page for an authorization request Auth.js prepared. */
export function toSignUpUrl(authorizeUrl: string): string {
  const url = new URL(authorizeUrl);
  url.pathname = url.pathname.replace(/\/(oauth2\/authorize|login)$/, "/signup");
  return url.toString();
}
