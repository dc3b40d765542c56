import { APIGatewayClient, CreateApiKeyCommand, GetApiKeysCommand, GetUsagePlansCommand } from "@aws-sdk/client-api-gateway";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, sdkConfig, setBudget, startTestSandbox } from "./harness";

interface CallsReport {
  calls: Record<string, number>;
  throttled: number;
  admitted: number;
  perSecond: {
    maxAdmittedInCalendarSecond: number;
    maxAdmittedCalendarSecondAt: number | null;
    maxAdmittedInSlidingSecond: number;
    maxThrottledInCalendarSecond: number;
  };
  series?: { second: number; admitted: number; throttled: number }[];
}

/**
 * The sandbox's control-plane budget is the account's, as in AWS: one 10 requests/s (burst 40) for
 * every caller together, whatever client or process sends the request, and the per-operation
 * quotas likewise. Its /_sandbox/apigateway/calls reports what it admitted second by second.
 */
describe("sandbox API Gateway budget: every caller together", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  // Two independent SDK clients (as two portal processes, or a job and a deploy, would have) and plain HTTP.
  let first: APIGatewayClient;
  let second: APIGatewayClient;
  // The budget's clock stands still: it refills only when the test moves it, however slow the machine.
  const clock = new ManualClock();

  const raw = (path: string, init: RequestInit = {}) => fetch(`${sandbox.url}${path}`, init);
  const report = async (query = ""): Promise<CallsReport> => (await raw(`/_sandbox/apigateway/calls${query}`)).json() as Promise<CallsReport>;
  const throttledBy = (promise: Promise<unknown>) =>
    expect(promise).rejects.toMatchObject({ name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } });

  beforeAll(async () => {
    sandbox = await startTestSandbox({ apiGatewayClock: clock.now });
    first = new APIGatewayClient({ ...sdkConfig(sandbox), customUserAgent: "first-caller" });
    second = new APIGatewayClient({ ...sdkConfig(sandbox), customUserAgent: "second-caller" });
  });
  afterAll(() => sandbox.stop());

  beforeEach(async () => {
    // Turning the budget on refills it and zeroes the counters.
    expect((await setBudget(sandbox, true)).status).toBe(200);
    expect((await report()).admitted).toBe(0);
  });

  it("drains one account budget of burst 40 from two SDK clients and plain HTTP, and counts it per second", async () => {
    for (let i = 0; i < 20; i++) await first.send(new GetUsagePlansCommand({}));
    for (let i = 0; i < 15; i++) await second.send(new GetApiKeysCommand({}));
    for (let i = 0; i < 5; i++) expect((await raw("/usageplans")).status).toBe(200);

    // 40 spent between them: now every caller is refused, whoever it is.
    await throttledBy(first.send(new GetUsagePlansCommand({})));
    await throttledBy(second.send(new GetApiKeysCommand({})));
    const refused = await raw("/apikeys");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");

    let seen = await report("?series");
    expect(seen.calls).toEqual({ GetUsagePlans: 26, GetApiKeys: 17 });
    expect(seen.admitted).toBe(40);
    expect(seen.throttled).toBe(3);
    expect(seen.perSecond).toMatchObject({ maxAdmittedInCalendarSecond: 40, maxAdmittedInSlidingSecond: 40, maxThrottledInCalendarSecond: 3 });
    const startSecond = Math.floor(clock.now() / 1000);
    expect(seen.perSecond.maxAdmittedCalendarSecondAt).toBe(startSecond);
    expect(seen.series).toEqual([{ second: startSecond, admitted: 40, throttled: 3 }]);

    // A second refills 10 for everyone together: 5 each, then both are refused again.
    clock.advance(1000);
    for (let i = 0; i < 5; i++) await first.send(new GetUsagePlansCommand({}));
    for (let i = 0; i < 5; i++) await second.send(new GetApiKeysCommand({}));
    expect((await raw("/usageplans")).status).toBe(429);
    await throttledBy(first.send(new GetUsagePlansCommand({})));

    seen = await report("?series");
    expect(seen.admitted).toBe(50);
    expect(seen.throttled).toBe(5);
    // The busiest second is still the first: the sliding window ending at the second burst leaves the first out.
    expect(seen.perSecond).toMatchObject({ maxAdmittedInCalendarSecond: 40, maxAdmittedInSlidingSecond: 40, maxThrottledInCalendarSecond: 3 });
    expect(seen.series).toEqual([
      { second: startSecond, admitted: 40, throttled: 3 },
      { second: startSecond + 1, admitted: 10, throttled: 2 },
    ]);
  });

  it("counts one budget for all, and tells each caller's share by its access key (?caller=)", async () => {
    const owner = new APIGatewayClient({ ...sdkConfig(sandbox), credentials: { accessKeyId: "owner-deploys", secretAccessKey: "x" } });
    for (let i = 0; i < 30; i++) await first.send(new GetUsagePlansCommand({}));
    for (let i = 0; i < 10; i++) await owner.send(new GetApiKeysCommand({}));
    // The owner's requests drained the same budget: the next of anyone's is refused.
    await throttledBy(owner.send(new GetApiKeysCommand({})));
    await throttledBy(first.send(new GetUsagePlansCommand({})));
    const all = await report();
    const ownerOnly = await report("?caller=owner-deploys");
    const portalOnly = await report("?caller=sandbox");
    expect([all.admitted, all.throttled]).toEqual([40, 2]);
    expect([ownerOnly.admitted, ownerOnly.throttled, ownerOnly.perSecond.maxAdmittedInCalendarSecond]).toEqual([10, 1, 10]);
    expect([portalOnly.admitted, portalOnly.throttled, portalOnly.perSecond.maxAdmittedInSlidingSecond]).toEqual([30, 1, 30]);
    expect((await report("?caller=nobody")).admitted).toBe(0);
  });

  it("shares an operation's own quota too: CreateApiKey's 5/s across two clients and plain HTTP", async () => {
    for (let i = 0; i < 3; i++) await first.send(new CreateApiKeyCommand({ name: `first-${i}` }));
    for (let i = 0; i < 2; i++) await second.send(new CreateApiKeyCommand({ name: `second-${i}` }));
    const refused = await raw("/apikeys", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "raw" }) });
    expect(refused.status).toBe(429);
    await throttledBy(first.send(new CreateApiKeyCommand({ name: "first-again" })));
    // The account budget itself still has room: other operations go on.
    expect((await raw("/usageplans")).status).toBe(200);

    const seen = await report();
    expect(seen.calls).toEqual({ CreateApiKey: 7, GetUsagePlans: 1 });
    expect(seen).toMatchObject({ admitted: 6, throttled: 2 });
  });

  it("tells the busiest calendar second from the busiest sliding second, and DELETE resets both", async () => {
    // 20 requests late in one calendar second and 20 early in the next: 20 per calendar second, 40 within one sliding second.
    clock.advance(1000 - (clock.now() % 1000) + 900);
    for (let i = 0; i < 10; i++) await first.send(new GetUsagePlansCommand({}));
    for (let i = 0; i < 10; i++) expect((await raw("/usageplans")).status).toBe(200);
    clock.advance(200);
    for (let i = 0; i < 10; i++) await second.send(new GetApiKeysCommand({}));
    for (let i = 0; i < 10; i++) expect((await raw("/apikeys")).status).toBe(200);

    let seen = await report("?series");
    expect(seen.admitted).toBe(40);
    expect(seen.perSecond).toMatchObject({ maxAdmittedInCalendarSecond: 20, maxAdmittedInSlidingSecond: 40, maxThrottledInCalendarSecond: 0 });
    const late = Math.floor((clock.now() - 200) / 1000);
    expect(seen.series).toEqual([
      { second: late, admitted: 20, throttled: 0 },
      { second: late + 1, admitted: 20, throttled: 0 },
    ]);

    // More than a second later the sliding window has moved on: a burst of 10 does not raise either maximum.
    clock.advance(1500);
    for (let i = 0; i < 10; i++) expect((await raw("/usageplans")).status).toBe(200);
    seen = await report();
    expect(seen.perSecond).toMatchObject({ maxAdmittedInCalendarSecond: 20, maxAdmittedInSlidingSecond: 40 });

    expect((await raw("/_sandbox/apigateway/calls", { method: "DELETE" })).status).toBe(200);
    seen = await report("?series");
    expect(seen).toEqual({
      calls: {},
      throttled: 0,
      admitted: 0,
      perSecond: { maxAdmittedInCalendarSecond: 0, maxAdmittedCalendarSecondAt: null, maxAdmittedInSlidingSecond: 0, maxThrottledInCalendarSecond: 0 },
      series: [],
    });
  });
});
