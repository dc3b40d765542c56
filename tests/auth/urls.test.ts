import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toSignUpUrl } from "@/lib/auth/cognito-urls";
import { safeRedirectUrl, safeReturnPath, signInPath } from "@/lib/auth/urls";

describe("safeReturnPath", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/apis/pets?tab=docs#get", "/apis/pets?tab=docs#get"],
    ["/apis/../account", "/account"],
    ["/apis/%2e%2e/account", "/account"],
    ["/a//b", "/a//b"],
    ["https://evil.example/x", "/"],
    ["http:/evil.example", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["\\/evil.example", "/"],
    ["/.//evil.example", "/"],
    ["/..//evil.example", "/"],
    ["/%2e//evil.example", "/"],
    ["/%2E%2E//evil.example", "/"],
    ["/./\\evil.example", "/"],
    ["/%5cevil.example", "/"],
    ["/%5Cevil.example", "/"],
    ["/%2fevil.example", "/"],
    ["/%2F%2Fevil.example", "/"],
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["/\r\n/evil.example", "/"],
    ["/\u0000/evil.example", "/"],
    ["/%09/evil.example", "/"],
    ["/%0A/evil.example", "/"],
    [" //evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/javascript:alert(1)", "/javascript:alert(1)"],
    ["", "/"],
    [undefined, "/"],
    [42, "/"],
  ])("%j → %s", (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it("never yields a target a browser would resolve to another site (any input)", () => {
    const pieces = fc.constantFrom("/", "//", "\\", ".", "..", "%2e", "%2f", "%5c", "%2E", "%5C", "\t", "\n", ":", "@", "?", "#", "evil.example", "http:", "a");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(pieces, { maxLength: 8 }).map((p) => p.join("")),
          fc.string(),
        ),
        (input) => {
          const out = safeReturnPath(input, "/fallback");
          const followed = new URL(out, "https://portal.example/deep/page");
          expect(followed.origin).toBe("https://portal.example");
          // The path a browser requests, decoded once, must not itself read as a host either.
          expect(/^\/(?:[/\\]|%2f|%5c)/i.test(out)).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("builds the sign-in path with an encoded return target", () => {
    expect(signInPath("/account?x=1")).toBe("/signin?callbackUrl=%2Faccount%3Fx%3D1");
    expect(signInPath("https://evil.example")).toBe("/signin?callbackUrl=%2F");
  });
});

describe("safeRedirectUrl (Auth.js redirects)", () => {
  const base = "http://localhost:3000";
  it.each([
    ["/dashboard", `${base}/dashboard`],
    [`${base}/account?x=1`, `${base}/account?x=1`],
    [`${base}//evil.example`, `${base}/`],
    ["/.//evil.example", `${base}/`],
    ["https://evil.example/", `${base}/`],
    ["//evil.example", `${base}/`],
    ["not a url", `${base}/`],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirectUrl(input, base)).toBe(expected);
  });
});

describe("toSignUpUrl", () => {
  it("keeps the authorization request and swaps the endpoint for sign-up", () => {
    const authorize = "https://portico.auth.us-east-1.amazoncognito.com/oauth2/authorize?client_id=abc&state=s&code_challenge=c&code_challenge_method=S256";
    const signup = new URL(toSignUpUrl(authorize));
    expect(signup.pathname).toBe("/signup");
    expect(Object.fromEntries(signup.searchParams)).toEqual({ client_id: "abc", state: "s", code_challenge: "c", code_challenge_method: "S256" });
  });
});
