import { describe, expect, it } from "vitest";
import { explain, redactKey } from "@/lib/try-it/explain";

describe("what a 403 or 429 means for the reader", () => {
  const plan = { quota: { limit: 500, period: "DAY" as const, offset: 0 }, throttle: { rateLimit: 5, burstLimit: 10 } };
  const now = Date.UTC(2026, 11, 6, 23, 59);

  it("tells quota from throttling, with the reset time from the plan's period", () => {
    expect(explain({ status: 429, body: '{"message":"Limit Exceeded"}', headers: [["X-Amzn-ErrorType", "LimitExceededException"]] }, plan, now)).toBe(
      "Quota used up: this plan allows 500 requests per day, and this key has used them. It resets at 2026-12-07T00:00:00.000Z.",
    );
    const weekly = { quota: { limit: 10, period: "WEEK" as const, offset: 1 } };
    // Sunday 6 December; weeks start on Monday (offset 1): the next starts tomorrow.
    expect(explain({ status: 429, body: "Limit Exceeded", headers: [] }, weekly, now)).toMatch(/It resets at 2026-12-07T00:00:00.000Z\.$/);
    expect(explain({ status: 429, body: "", headers: [["x-amzn-errortype", "TooManyRequestsException"]] }, plan, now)).toBe(
      "Throttled: too many requests per second for this plan (5/s, burst 10). Wait a second and try again.",
    );
    expect(explain({ status: 429, body: "Limit Exceeded", headers: [] }, {}, now)).toBe("The plan's quota is used up.");
  });

  it("tells a refused key from a missing route or a missing key, in the caller's terms", () => {
    const refused = { status: 403, body: '{"message":"Forbidden"}', headers: [["x-amzn-errortype", "ForbiddenException"]] as [string, string][] };
    expect(explain(refused, plan, now, { checkKeys: "Check your keys on your dashboard" })).toMatch(
      /^API Gateway refused the key: .* Check your keys on your dashboard and try again\.$/,
    );
    expect(explain(refused, plan, now, { checkKeys: "Check list_my_keys" })).toMatch(/Check list_my_keys and try again\.$/);
    expect(explain(refused, undefined, now)).toBe("API Gateway refused the request: this operation needs an API key, and none was sent.");
    expect(explain({ status: 403, body: "", headers: [["x-amzn-errortype", "MissingAuthenticationTokenException"]] }, plan, now)).toMatch(/no such route/);
    expect(explain({ status: 404, body: "", headers: [] }, plan, now)).toBeUndefined();
  });

  it("scrubs the key's value, plain or URL-encoded, from an answer that echoes it", () => {
    const key = "Ab+Cd/Ef=123456";
    const answer = redactKey({ body: `{"key":"${key}","url":"?k=${encodeURIComponent(key)}"}`, headers: [["x-echo", key]] as [string, string][] }, key);
    expect(JSON.stringify(answer)).not.toContain(key);
    expect(JSON.stringify(answer)).not.toContain(encodeURIComponent(key));
    expect(answer.headers).toEqual([["x-echo", "••••3456"]]);
  });

  it("masks the start of a key that a body cut short ends with", () => {
    const key = "Ab+Cd/Ef=123456";
    const cutAt = 256 * 1024;
    for (const form of [key, encodeURIComponent(key)])
      for (const kept of [1, 5, form.length - 1]) {
        // The body as the relay cuts it: the key straddles the cut, `kept` of its characters before it.
        const body = `${"x".repeat(cutAt - kept)}${form}"}`.slice(0, cutAt);
        const answer = redactKey({ body, headers: [], truncated: true }, key);
        expect(answer.body).toBe(`${"x".repeat(cutAt - kept)}••••`);
      }
    // Whole: not cut short, so a body that merely ends like a key's start is left alone.
    expect(redactKey({ body: "grade A", headers: [], truncated: false }, key).body).toBe("grade A");
    expect(redactKey({ body: "grade A", headers: [], truncated: true }, key).body).toBe("grade ••••");
  });
});
