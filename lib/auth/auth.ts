import { DynamoDBAdapter } from "@auth/dynamodb-adapter";
import NextAuth from "next-auth";
import Cognito from "next-auth/providers/cognito";
import { z } from "zod";
import { recordAudit } from "../audit";
import { getConfig } from "../config";
import { ADMIN_GROUP } from "../constants";
import { db } from "../db/client";
import { rowExists, updateItem } from "../db/items";
import { authUserKey } from "../db/keys";
import { updateProfile } from "../db/profiles";
import { admitNewUser, markInviteAccepted } from "../users/registration";
import { sessionsFollowingCognito } from "./follow-cognito";
import { safeRedirectUrl } from "./urls";

declare module "next-auth" {
  interface User {
    groups?: string[];
  }
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; groups: string[] };
  }
}

/** The ID token claims Portico uses; Cognito puts group membership in `cognito:groups`. */
const cognitoClaims = z.object({
  sub: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  "cognito:groups": z.array(z.string()).optional(),
});

/**
 * Auth.js with the Cognito provider (code flow + PKCE against the managed login) and database
 * sessions in DynamoDB, so sessions can be listed and revoked. Configured lazily so that
 * `next build` needs no settings.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const config = getConfig();
  const adapter = DynamoDBAdapter(db, { tableName: config.PORTICO_TABLE });
  return {
    adapter: {
      ...adapter,
      // Portico never calls Cognito on the user's behalf: don't keep their tokens at rest.
      linkAccount: (account) => adapter.linkAccount!({ ...account, access_token: undefined, id_token: undefined, refresh_token: undefined }),
      getSessionAndUser: sessionsFollowingCognito(adapter),
    },
    session: { strategy: "database", maxAge: 30 * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    trustHost: true,
    // Log what failed, never the details Auth.js attaches (cookie values, tokens, parameters).
    logger: {
      error: (error) => console.error(`[auth] ${error.name}: ${error.message.split("\n")[0]}`),
      warn: (code) => console.warn(`[auth] warning: ${code}`),
      debug: () => {},
    },
    secret: config.AUTH_SECRET,
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      Cognito({
        clientId: config.COGNITO_CLIENT_ID,
        clientSecret: config.COGNITO_CLIENT_SECRET,
        issuer: config.COGNITO_ISSUER,
        checks: ["pkce", "state", "nonce"],
        // A public client (no secret) authenticates to the token endpoint with PKCE alone.
        ...(config.COGNITO_CLIENT_SECRET ? {} : { client: { token_endpoint_auth_method: "none" } }),
        profile(raw) {
          const claims = cognitoClaims.parse(raw);
          return {
            id: claims.sub,
            name: claims.name ?? claims.email ?? null,
            email: claims.email ?? null,
            image: null,
            groups: claims["cognito:groups"] ?? [],
          };
        },
      }),
    ],
    callbacks: {
      // Every redirect Auth.js makes (callbackUrl, sign-out) goes through the same gate as the portal's own.
      redirect: ({ url, baseUrl }) => safeRedirectUrl(url, baseUrl),
      // First sign-in: the registration mode decides whether a portal account may be created.
      async signIn({ account, profile }) {
        if (!account || !adapter.getUserByAccount) return true;
        if (await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId })) return true;
        const admission = await admitNewUser(typeof profile?.email === "string" ? profile.email : null);
        return admission.allowed ? true : "/signin?error=InviteOnly";
      },
      session({ session, user }) {
        return { ...session, user: { id: user.id, name: user.name, email: user.email, groups: user.groups ?? [] } };
      },
    },
    events: {
      async createUser({ user }) {
        if (!user.id) return;
        const admission = await admitNewUser(user.email ?? null);
        const status = admission.allowed ? admission.status : "pending";
        await updateProfile(
          user.id,
          { invited: admission.allowed && admission.invited },
          { create: { email: user.email ?? null, name: user.name ?? null, status } },
        );
        if (user.email && admission.allowed && admission.invited) await markInviteAccepted(user.email);
        await recordAudit(
          {
            type: "account.created",
            subject: { userId: user.id, email: user.email ?? null },
            after: { status },
            ...(status === "pending"
              ? { notice: { to: "admins" as const, type: "admin.signup-pending" as const, data: { userEmail: user.email ?? null } } }
              : {}),
          },
          { kind: "user", id: user.id, email: user.email ?? null },
        );
      },
      // The adapter writes the user only once; refresh name and groups from every new sign-in.
      async signIn({ user, profile }) {
        if (!user.id || !profile) return;
        const claims = cognitoClaims.safeParse(profile);
        if (!claims.success) return;
        await updateItem(
          authUserKey(user.id),
          {
            // The ID token is Cognito's word as of now: the next check is due an interval from here.
            expression: "SET #groups = :groups, #name = :name, cognitoCheckedAt = :now",
            names: { "#groups": "groups", "#name": "name" },
            values: { ":groups": claims.data["cognito:groups"] ?? [], ":name": claims.data.name ?? claims.data.email ?? null, ":now": Date.now() },
          },
          { condition: rowExists },
        );
        const name = claims.data.name ?? claims.data.email ?? null;
        const email = claims.data.email ?? null;
        const admin = (claims.data["cognito:groups"] ?? []).includes(ADMIN_GROUP);
        await updateProfile(user.id, { lastSignInAt: new Date().toISOString(), admin, name, email }, { create: { email, name, status: "active" } });
      },
    },
  };
});
