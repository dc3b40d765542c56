import { describe, expect, it } from "vitest";
import { toSignUpUrl } from "@/lib/auth/cognito-urls";
import { safeReturnPath, signInPath } from "@/lib/auth/urls";

describe("safeReturnPath", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/apis/pets?tab=docs#get", "/apis/pets?tab=docs#get"],
    ["https://evil.example/x", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["", "/"],
    [undefined, "/"],
    [42, "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it("builds the sign-in path with an encoded return target", () => {
    expect(signInPath("/account?x=1")).toBe("/signin?callbackUrl=%2Faccount%3Fx%3D1");
    expect(signInPath("https://evil.example")).toBe("/signin?callbackUrl=%2F");
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
