import { AsyncLocalStorage } from "node:async_hooks";
import { NextRequest } from "next/server";
import type { Caller } from "@/lib/auth/caller";

/** Who the stubbed `assertCaller` says is signed in (each test file mocks @/lib/auth/caller with it). */
export type SignedIn = Caller & { user: NonNullable<Caller["user"]> };
export type Person = { id: string; email: string };
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The route files, by URL pattern: requests go to the real handlers. */
const ROUTES: [RegExp, string][] = [
  [/^\/api\/teams$/, "@/app/api/teams/route"],
  [/^\/api\/teams\/join$/, "@/app/api/teams/join/route"],
  [/^\/api\/teams\/join\/decline$/, "@/app/api/teams/join/decline/route"],
  [/^\/api\/teams\/(?<team>[^/]+)$/, "@/app/api/teams/[team]/route"],
  [/^\/api\/teams\/(?<team>[^/]+)\/members\/(?<userId>[^/]+)$/, "@/app/api/teams/[team]/members/[userId]/route"],
  [/^\/api\/teams\/(?<team>[^/]+)\/invites$/, "@/app/api/teams/[team]/invites/route"],
  [/^\/api\/teams\/(?<team>[^/]+)\/invites\/(?<inviteId>[^/]+)$/, "@/app/api/teams/[team]/invites/[inviteId]/route"],
  [/^\/api\/teams\/(?<team>[^/]+)\/invites\/(?<inviteId>[^/]+)\/resend$/, "@/app/api/teams/[team]/invites/[inviteId]/resend/route"],
  [/^\/api\/teams\/(?<team>[^/]+)\/transfer$/, "@/app/api/teams/[team]/transfer/route"],
  [/^\/api\/teams\/(?<team>[^/]+)\/leave$/, "@/app/api/teams/[team]/leave/route"],
  [/^\/api\/teams\/(?<team>[^/]+)\/rotate-seen$/, "@/app/api/teams/[team]/rotate-seen/route"],
  [/^\/api\/keys$/, "@/app/api/keys/route"],
  [/^\/api\/keys\/(?<keyId>[^/]+)$/, "@/app/api/keys/[keyId]/route"],
  [/^\/api\/keys\/(?<keyId>[^/]+)\/reveal$/, "@/app/api/keys/[keyId]/reveal/route"],
  [/^\/api\/keys\/(?<keyId>[^/]+)\/rotate$/, "@/app/api/keys/[keyId]/rotate/route"],
  [/^\/api\/subscriptions$/, "@/app/api/subscriptions/route"],
  [/^\/api\/subscriptions\/(?<planId>[^/]+)$/, "@/app/api/subscriptions/[planId]/route"],
  [/^\/api\/usage$/, "@/app/api/usage/route"],
  [/^\/api\/tokens$/, "@/app/api/tokens/route"],
  [/^\/api\/tokens\/(?<tokenId>[^/]+)$/, "@/app/api/tokens/[tokenId]/route"],
  [/^\/api\/try$/, "@/app/api/try/route"],
  [/^\/api\/account$/, "@/app/api/account/route"],
  [/^\/api\/admin\/teams\/(?<teamId>[^/]+)$/, "@/app/api/admin/teams/[teamId]/route"],
  [/^\/api\/admin\/teams\/(?<teamId>[^/]+)\/owners$/, "@/app/api/admin/teams/[teamId]/owners/route"],
  [/^\/api\/admin\/users\/(?<userId>[^/]+)$/, "@/app/api/admin/users/[userId]/route"],
  [/^\/api\/admin\/users\/(?<userId>[^/]+)\/tokens$/, "@/app/api/admin/users/[userId]/tokens/route"],
  [/^\/api\/marketplace\/activate$/, "@/app/api/marketplace/activate/route"],
];

/**
 * Who each call is made by, for the test's stub of assertCaller: per call (AsyncLocalStorage), so
 * calls made at once each act as their own person.
 */
const signedIn = new AsyncLocalStorage<SignedIn>();
export const currentCaller = (): SignedIn | null => signedIn.getStore() ?? null;

let ip = 0;
/** Calls the route handler for `url` as `user` (currentCaller() inside it, which the test's mock of assertCaller returns). */
export async function callRoute(
  user: Person,
  method: string,
  url: string,
  body?: unknown,
  options: { admin?: boolean } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const caller: SignedIn = { user: { id: user.id, email: user.email, name: null, groups: options.admin ? ["admins"] : [] }, isAdmin: options.admin ?? false };
  const { pathname } = new URL(url, "http://localhost:3000");
  const match = ROUTES.map(([pattern, file]) => [pattern.exec(pathname), file] as const).find(([m]) => m);
  if (!match) throw new Error(`no route for ${pathname}`);
  const [found, file] = match;
  const handler = ((await import(/* @vite-ignore */ file)) as Record<string, Handler>)[method];
  if (!handler) throw new Error(`${file} has no ${method}`);
  ip += 1;
  const request = new NextRequest(new URL(url, "http://localhost:3000"), {
    method,
    headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": `10.30.${ip >> 8}.${ip & 255}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await signedIn.run(caller, () => handler(request, { params: Promise.resolve({ ...found!.groups }) }));
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
