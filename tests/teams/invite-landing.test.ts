import { isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Caller } from "@/lib/auth/caller";
import { registerUser, startAccessSandbox } from "../access/setup";

/**
 * Where an invitation link lands (issue #22): /teams/join/open moves the token into a short-lived
 * HttpOnly cookie and redirects to /teams/join without it, so the token is never in a redirect's
 * Location, a sign-in callbackUrl or the pages after it; old /teams/join?token= links go through
 * the same landing; the sign-in page names the team only to whoever holds a valid token; accepting
 * and declining read the cookie (and clear it). Stubbed: the request's cookies and who is signed in.
 */

const state = vi.hoisted(() => ({
  jar: new Map<string, string>(),
  caller: null as (Caller & { user: NonNullable<Caller["user"]> }) | null,
}));

vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (state.jar.has(name) ? { name, value: state.jar.get(name)! } : undefined),
    has: (name: string) => state.jar.has(name),
  }),
  headers: async () => new Headers(),
}));
vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("@/lib/auth/caller", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/caller")>();
  const { redirect } = await import("next/navigation");
  const { signInPath } = await import("@/lib/auth/urls");
  const { AppError } = await import("@/lib/errors");
  return {
    ...original,
    getCaller: async () => state.caller ?? { user: null, isAdmin: false },
    requireUser: async (returnTo: string) => {
      if (!state.caller) redirect(signInPath(returnTo));
      return state.caller;
    },
    assertCaller: async () => {
      if (!state.caller) throw new AppError("unauthorized", "Sign in to continue.");
      return state.caller;
    },
  };
});

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Person = { id: string; email: string };
const COOKIE = "portico-team-invite";

/** Where a page's redirect() sends the browser (Next throws it, with the target in its digest). */
async function redirectOf(render: Promise<unknown>): Promise<string> {
  const error = await render.then(
    () => undefined,
    (e: unknown) => e as { digest?: string },
  );
  const digest = error?.digest ?? "";
  expect(digest, "expected a redirect").toMatch(/^NEXT_REDIRECT;/);
  return digest.split(";")[2]!;
}

/** The first element of `type` in a rendered tree, with its props. */
function findElement(node: ReactNode, type: unknown): ReactElement<Record<string, unknown>> | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findElement(child, type);
      if (found) return found;
    }
    return undefined;
  }
  if (!isValidElement<Record<string, unknown>>(node)) return undefined;
  if (node.type === type) return node;
  return findElement(node.props.children as ReactNode, type);
}

const textOf = (node: ReactNode): string =>
  Array.isArray(node)
    ? node.map(textOf).join("")
    : isValidElement<{ children?: ReactNode }>(node)
      ? textOf(node.props.children)
      : typeof node === "string" || typeof node === "number"
        ? String(node)
        : "";

let ip = 0;
function post(url: string, body: unknown, cookie?: string): NextRequest {
  ip += 1;
  return new NextRequest(new URL(url, "http://localhost:3000"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: "http://localhost:3000",
      "x-forwarded-for": `10.41.${ip >> 8}.${ip & 255}`,
      ...(cookie ? { cookie: `${COOKIE}=${cookie}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

describe("the invitation landing", () => {
  let env: Env;
  let teams: typeof import("@/lib/teams");
  let owner: Person;
  let team: import("@/lib/teams").Team;
  const signIn = (who: Person | null) => {
    state.caller = who && { user: { id: who.id, email: who.email, name: null, groups: [] }, isAdmin: false };
  };

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    teams = await import("@/lib/teams");
    owner = await registerUser(env, "landing-owner");
    team = await teams.createTeam(owner, { name: "Hooli", slug: `hooli-${process.pid}` });
  }, 60_000);
  afterAll(() => env?.stop());
  beforeEach(() => {
    state.jar.clear();
    signIn(null);
  });

  async function invited(label: string, role: "admin" | "member" | "viewer" = "member") {
    const who = await registerUser(env, label);
    const { link } = await teams.invite(team, owner, who.email, role);
    return { who, link, token: new URL(link).searchParams.get("token")! };
  }

  it("moves the token into a short-lived HttpOnly, SameSite=Lax cookie and redirects to /teams/join without it", async () => {
    const { link, token } = await invited("landing");
    expect(new URL(link).pathname).toBe("/teams/join/open");
    const { GET } = await import("@/app/(developer)/teams/join/open/route");
    const response = GET(new NextRequest(link));
    expect(response.status).toBe(303);
    const location = response.headers.get("location")!;
    expect(location).toBe("http://localhost:3000/teams/join");
    expect(location).not.toContain(token.split(".")[2]!);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toContain(`${COOKIE}=${token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    expect(cookie).toMatch(/Max-Age=1800/);
    expect(cookie).toMatch(/Path=\//);
    // Over plain http (the sandbox) not Secure; over https it is.
    expect(cookie).not.toMatch(/Secure/i);
    // The portal's configuration is read once per process: a fresh copy of the route for an https portal.
    const before = process.env.AUTH_URL;
    process.env.AUTH_URL = "https://portal.example.com";
    try {
      vi.resetModules();
      const secure = (await import("@/app/(developer)/teams/join/open/route")).GET;
      const answer = secure(new NextRequest(link.replace("http://localhost:3000", "https://portal.example.com")));
      expect(answer.headers.get("location")).toBe("https://portal.example.com/teams/join");
      expect(answer.headers.get("set-cookie")).toMatch(/; Secure/i);
    } finally {
      process.env.AUTH_URL = before;
      vi.resetModules();
    }
  });

  it("an incomplete link sets no cookie (and clears an old one) and says so, still without the token", async () => {
    const { GET } = await import("@/app/(developer)/teams/join/open/route");
    const response = GET(new NextRequest("http://localhost:3000/teams/join/open?token=team_abc.def"));
    expect(response.headers.get("location")).toBe("http://localhost:3000/teams/join?problem=incomplete");
    expect(response.headers.get("set-cookie")).toMatch(new RegExp(`^${COOKIE}=;`));
  });

  it("signed out, /teams/join sends the invitee to sign in with a callbackUrl that carries no token; old ?token= links go through the landing first", async () => {
    const { token } = await invited("signed-out");
    const { default: JoinPage } = await import("@/app/(developer)/teams/join/page");
    state.jar.set(COOKIE, token);
    const signin = await redirectOf(JoinPage({ searchParams: Promise.resolve({}) }));
    expect(signin).toBe("/signin?callbackUrl=%2Fteams%2Fjoin");
    // An old link: to the landing (which sets the cookie), not to sign-in with the token in the callbackUrl.
    const legacy = await redirectOf(JoinPage({ searchParams: Promise.resolve({ token }) }));
    expect(legacy).toBe(`/teams/join/open?token=${encodeURIComponent(token)}`);
  });

  it("the sign-in page says which team the invitation is for, only to whoever holds a valid token", async () => {
    const { token, who } = await invited("signin-page", "admin");
    const { default: SignInPage } = await import("@/app/(public)/signin/page");
    const page = async (callbackUrl: string) =>
      renderToStaticMarkup((await SignInPage({ searchParams: Promise.resolve({ callbackUrl }) })) as ReactElement).replaceAll("&#x27;", "'");
    state.jar.set(COOKIE, token);
    const html = await page("/teams/join");
    expect(html).toContain(`You're invited to join Hooli as an admin. Sign in with ${who.email} to accept`);
    expect(html).toContain('name="callbackUrl" value="/teams/join"');
    expect(html).not.toContain(token.split(".")[2]!);
    // Another destination: the usual page, whatever the cookie says.
    expect(await page("/dashboard")).not.toContain("Hooli");
    // A token of the right shape that isn't the invitation's (guessed, or resent since): nothing about the team.
    const [teamId, inviteId] = token.split(".");
    state.jar.set(COOKIE, `${teamId}.${inviteId}.${"A".repeat(43)}`);
    const guessed = await page("/teams/join");
    expect(guessed).not.toContain("Hooli");
    expect(guessed).toContain("Sign in to get API keys");
    state.jar.clear();
    expect(await page("/teams/join")).not.toContain("invited");
  });

  it("signed in, the join page reads the invitation from the cookie, and accepting reads it there too and clears it", async () => {
    const { who, token } = await invited("accepts", "viewer");
    const { default: JoinPage } = await import("@/app/(developer)/teams/join/page");
    const { JoinTeam } = await import("@/components/teams/join-team");
    signIn(who);
    // No cookie: nothing to open.
    const empty = await JoinPage({ searchParams: Promise.resolve({}) });
    expect(textOf(empty)).toContain("There's no invitation to open here");
    expect(findElement(empty, JoinTeam)).toBeUndefined();
    state.jar.set(COOKIE, token);
    const page = await JoinPage({ searchParams: Promise.resolve({}) });
    expect(textOf(page)).toContain("You're invited to Hooli as viewer");
    expect(findElement(page, JoinTeam)?.props).toEqual({ teamSlug: team.slug, teamName: "Hooli" });

    const { POST } = await import("@/app/api/teams/join/route");
    const context = { params: Promise.resolve({}) };
    // Without the cookie (and no token in the body): a clear 400, nothing joined.
    const none = await POST(post("/api/teams/join", {}), context);
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/open the link in your invitation email/);
    const accepted = await POST(post("/api/teams/join", {}, token), context);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ team: { slug: team.slug, role: "viewer" } });
    expect(accepted.headers.get("set-cookie")).toMatch(new RegExp(`^${COOKIE}=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)`, "i"));
    expect((await teams.readMembers(team.id)).find((m) => m.userId === who.id)?.role).toBe("viewer");
  });

  it("declining reads the cookie too: the invitation is gone and the cookie cleared", async () => {
    const { who, token } = await invited("declines");
    signIn(who);
    const { POST } = await import("@/app/api/teams/join/decline/route");
    const response = await POST(post("/api/teams/join/decline", {}, token), { params: Promise.resolve({}) });
    expect(response.status).toBe(204);
    expect(response.headers.get("set-cookie")).toMatch(new RegExp(`^${COOKIE}=;`));
    expect((await teams.listInvites(team)).map((i) => i.email)).not.toContain(who.email);
    expect((await teams.readMembers(team.id)).map((m) => m.userId)).not.toContain(who.id);
  });
});
