import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";

vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));

/**
 * The notifier end to end against the sandbox: changes made through lib/access queue notices, the
 * job sends each one once by email (SES sandbox mailbox) and by webhook (a local receiver that
 * verifies signatures with the standardwebhooks library itself), replays and crashes included.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Notifications = typeof import("@/lib/notifications");

describe("notifications", () => {
  let env: Env;
  let notifications: Notifications;
  let runNotifier: typeof import("@/lib/notifications/notifier").runNotifier;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let answer = 200;
  /** While set, the receiver answers only once it resolves (a slow endpoint). */
  let hold: Promise<void> | undefined;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv, { PORTICO_EMAIL_FROM: "notices@portico.example", PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1" });
    notifications = await import("@/lib/notifications");
    ({ runNotifier } = await import("@/lib/notifications/notifier"));
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        await hold;
        res.writeHead(answer, { "content-type": "text/plain" }).end(answer < 300 ? "thanks" : "nope");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    receiver?.close();
    await env?.stop();
  });
  beforeEach(() => {
    received.length = 0;
    answer = 200;
  });

  const mailbox = async (to: string): Promise<{ subject: string; headers?: Record<string, string> | { name: string; value: string }[] }[]> => {
    const body = (await (await fetch(`${env.sandbox.url}/_sandbox/ses/messages?to=${encodeURIComponent(to)}`)).json()) as { messages: never[] };
    return body.messages;
  };

  async function developerWithEndpoint(label: string) {
    const user = await registerUser(env, label);
    const { endpoint, secret } = await notifications.createEndpoint(user, { url: receiverUrl });
    return { user, endpoint, secret };
  }

  const verified = (secret: string) =>
    received.map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });

  it("tells each change once by email and once by signed webhook, however often the job runs", async () => {
    const { user, secret } = await developerWithEndpoint("notify");
    const { key } = await env.lib.createKey(user, "laptop");
    await env.lib.rotateKey(user, key.id, "7d");
    // Two runs at once (expanding the same notices creates each delivery once; claims send each once), then a third.
    const runs = [...(await Promise.all([runNotifier(), runNotifier()])), await runNotifier()];
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(4);

    const events = verified(secret);
    expect(events.map((e) => e.type).sort()).toEqual(["key.created", "key.rotated"]);
    expect(events.find((e) => e.type === "key.created")!.data).toMatchObject({ keyId: key.id, keyName: "laptop", keyHint: key.hint });
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(2);

    const mail = await mailbox(user.email);
    expect(mail).toHaveLength(2);
    expect(mail.map((m) => m.subject).join("\n")).toMatch(/laptop/);
    const log = await notifications.listDeliveries(user.id);
    expect(log.deliveries.map((d) => `${d.type} ${d.channel} ${d.state}`).sort()).toEqual([
      "key.created email sent",
      "key.created webhook sent",
      "key.rotated email sent",
      "key.rotated webhook sent",
    ]);
  });

  it("respects preferences per category and channel, and one-click unsubscribe needs no session but a valid link", async () => {
    const { user, secret } = await developerWithEndpoint("prefs");
    await notifications.updatePreferences(user.id, { webhook: { security: false } });
    const link = new URL(notifications.unsubscribeUrl(user.id, "security", "one-click"));
    const params = Object.fromEntries(link.searchParams) as { u: string; c: "security"; t: string };
    await expect(notifications.unsubscribe({ ...params, t: params.t.slice(1) + "A" })).rejects.toMatchObject({ code: "bad_request" });
    await expect(notifications.unsubscribe({ ...params, c: "quota" } as never)).rejects.toMatchObject({ code: "bad_request" });
    expect((await notifications.readPreferences(user.id)).email.security).toBe(true);
    expect(await notifications.unsubscribe(params)).toBe("security");
    expect(await notifications.readPreferences(user.id)).toMatchObject({ email: { security: false, quota: true }, webhook: { security: false, quota: true } });

    await env.lib.createKey(user, "ci");
    await runNotifier();
    expect(verified(secret)).toEqual([]);
    expect(await mailbox(user.email)).toEqual([]);
  });

  it("warns at 80 % and 100 % of a key's quota once per period, from stored usage", async () => {
    const { user, secret } = await developerWithEndpoint("quota");
    const { queueQuotaAlerts } = await import("@/lib/access/quota-alerts");
    const quota = { limit: 10, period: "DAY" as const, offset: 0 };
    const row = { planId: "plan1", keyId: "key1", keyName: "prod", keyHint: "abcd", fetchedAt: Date.parse("2026-12-07T10:00:00Z") };
    expect(await queueQuotaAlerts(user.id, { ...row, remaining: 3 }, quota, "Pets Free")).toBe(0);
    expect(await queueQuotaAlerts(user.id, { ...row, remaining: 2 }, quota, "Pets Free")).toBe(1);
    expect(await queueQuotaAlerts(user.id, { ...row, remaining: 1 }, quota, "Pets Free")).toBe(0);
    expect(await queueQuotaAlerts(user.id, { ...row, remaining: 0 }, quota, "Pets Free")).toBe(1);
    expect(await queueQuotaAlerts(user.id, { ...row, remaining: 0 }, quota, "Pets Free")).toBe(0);
    // The next day is a new period: a jump straight to 100 % tells only that.
    expect(await queueQuotaAlerts(user.id, { ...row, remaining: 0, fetchedAt: row.fetchedAt + 86_400_000 }, quota, "Pets Free")).toBe(1);
    await runNotifier();
    const events = verified(secret);
    expect(events.map((e) => `${e.type} ${e.data.threshold} ${e.data.resetsAt}`).sort()).toEqual([
      "quota.threshold 100 2026-12-08T00:00:00.000Z",
      "quota.threshold 100 2026-12-09T00:00:00.000Z",
      "quota.threshold 80 2026-12-08T00:00:00.000Z",
    ]);
    expect(await mailbox(user.email)).toHaveLength(3);
  });

  it("retries a failing endpoint with backoff, then disables it and says so by email", async () => {
    const { user, endpoint } = await developerWithEndpoint("failing");
    answer = 500;
    await env.lib.createKey(user, "flaky");
    const start = Date.now();
    let now = new Date(start);
    await runNotifier(now);
    expect(received).toHaveLength(1);
    // Not due again before its backoff ends…
    await runNotifier(new Date(start + 30_000));
    expect(received).toHaveLength(1);
    // …then each attempt at its time, until the endpoint has failed for a day.
    const { WEBHOOK_BACKOFF_MS } = await import("@/lib/notifications/notifier");
    for (const wait of WEBHOOK_BACKOFF_MS.slice(1)) {
      now = new Date(now.getTime() + wait);
      await runNotifier(now);
    }
    await runNotifier(new Date(now.getTime() + 60_000));
    const [view] = await notifications.listEndpoints(user.id);
    expect(view).toMatchObject({ id: endpoint.id, state: "disabled", lastStatus: "500" });
    const log = (await notifications.listDeliveries(user.id)).deliveries;
    const hook = log.find((d) => d.channel === "webhook" && d.type === "key.created")!;
    expect(hook).toMatchObject({ state: "failed", status: "500", response: "nope" });
    expect(received.length).toBe(hook.attempts);
    expect(hook.attempts).toBeGreaterThanOrEqual(6);
    const mail = await mailbox(user.email);
    expect(mail.map((m) => m.subject).join("\n")).toMatch(/disabled/i);
    // A disabled endpoint gets nothing more; its owner can switch it back on.
    answer = 200;
    await env.lib.createKey(user, "after");
    await runNotifier(new Date(now.getTime() + 120_000));
    expect(received.length).toBe(hook.attempts);
    await notifications.changeEndpoint(user, endpoint.id, { enabled: true });
    expect((await notifications.listEndpoints(user.id))[0]).toMatchObject({ state: "enabled" });
    expect((await notifications.listEndpoints(user.id))[0]).not.toHaveProperty("failingSince");
  });

  it("an endpoint deleted while a delivery to it is in flight stays deleted, whatever the endpoint answers", async () => {
    for (const status of [200, 500]) {
      const { user, endpoint } = await developerWithEndpoint(`deleted-${status}`);
      answer = status;
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      await env.lib.createKey(user, "slow");
      const run = runNotifier();
      await vi.waitFor(() => expect(received.length).toBeGreaterThan(0), { timeout: 5_000 });
      await notifications.deleteEndpoint(user, endpoint.id);
      release();
      hold = undefined;
      await run;
      expect(await notifications.listEndpoints(user.id)).toEqual([]);
      received.length = 0;
    }
  });

  it("after a crash at any point of a run, every notice is sent, and one crash sends at most one thing twice", async () => {
    const { queueNotice } = await import("@/lib/outbox/queue");
    const faults = (body: object | null) =>
      fetch(`${env.sandbox.url}/_sandbox/faults`, body ? { method: "PUT", body: JSON.stringify(body) } : { method: "DELETE" });
    // Crash point k: the run's first k DynamoDB requests succeed, every later one fails (the
    // process is as good as dead). Each point gets fresh notices; the sweep ends at the first
    // point past the end of a whole run.
    let k = 0;
    for (; k < 120; k++) {
      const { user, secret } = await developerWithEndpoint(`crash${k}`);
      received.length = 0;
      const ids = [`crash-${k}-a`, `crash-${k}-b`];
      for (const id of ids)
        await queueNotice({ id, type: "key.created", userId: user.id, at: new Date().toISOString(), data: { keyId: id, keyName: id, keyHint: "abcd" } });
      await faults({ dynamodb: { passNext: k, errorNext: 1_000_000 } });
      // One delivery at a time, so a crash cuts off at most one send (runs in parallel: one per delivery in flight).
      const crashed = await runNotifier(new Date(), { concurrency: 1 }).then(
        () => false,
        () => true,
      );
      await faults(null);
      // Recovery: a later run, once any claim the crash left has run out.
      await runNotifier(new Date(Date.now() + 6 * 60_000));
      const hooks = verified(secret).map((e) => e.data.keyId as string);
      const mails = (await mailbox(user.email)).map((m) => m.subject);
      for (const id of ids) {
        expect(hooks.filter((h) => h === id).length, `crash at ${k}: webhook of ${id}`).toBeGreaterThanOrEqual(1);
        expect(mails.filter((m) => m.includes(id)).length, `crash at ${k}: email of ${id}`).toBeGreaterThanOrEqual(1);
      }
      expect(hooks.length + mails.length, `crash at ${k}: duplicates`).toBeLessThanOrEqual(ids.length * 2 + 1);
      // A repeated webhook carries the same id, so the receiver can drop it.
      expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(ids.length);
      if (!crashed) break;
    }
    expect(k).toBeGreaterThan(8);
    expect(k).toBeLessThan(120);
  }, 180_000);
});
