import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";

vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));

/**
 * Each event, from the code path that really causes it (not a queued fake), ends as exactly one
 * email in the sandbox mailbox and one webhook whose signature the standardwebhooks library
 * verifies — and running the notifier again sends nothing more.
 */

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;

describe("every event is told once by email and once by webhook", () => {
  let env: Env;
  let notifications: typeof import("@/lib/notifications");
  let runNotifier: typeof import("@/lib/notifications/notifier").runNotifier;
  let receiver: Server;
  let origin: string;
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv, { PORTICO_EMAIL_FROM: "notices@portico.example", PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1" });
    notifications = await import("@/lib/notifications");
    ({ runNotifier } = await import("@/lib/notifications/notifier"));
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    receiver?.close();
    await env?.stop();
  });

  /** A developer with one endpoint: the webhooks of a notice type it got (verified), and the emails they got so far. */
  async function developer(label: string, options: { admin?: boolean } = {}) {
    const user = await registerUser(env, label);
    if (options.admin) {
      const { updateProfile } = await import("@/lib/db/profiles");
      await updateProfile(user.id, { admin: true });
    }
    const path = `/${label}`;
    const { secret } = await notifications.createEndpoint(user, { url: `${origin}${path}` });
    const told = async (type: string) => {
      const hooks = received
        .filter((r) => r.path === path)
        .map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string })
        .filter((e) => e.type === type);
      const { messages } = (await (await fetch(`${env.sandbox.url}/_sandbox/ses/messages?to=${encodeURIComponent(user.email)}`)).json()) as {
        messages: { headers: { name: string; value: string }[] }[];
      };
      const mails = messages.filter((m) => m.headers.some((h) => h.name === "X-Portico-Notice")).length;
      return { hooks: hooks.length, mailsSoFar: mails };
    };
    return { user, told };
  }

  /** Runs the notifier until nothing is left (admin notices take two runs: fan out, then send), then once more. */
  async function deliver(now = new Date()) {
    for (let i = 0; i < 3; i++) await runNotifier(now);
  }

  it("key created, rotated, stopping within a day, stopped", async () => {
    const { user, told } = await developer("keys");
    const { key } = await env.lib.createKey(user, "laptop");
    await env.lib.rotateKey(user, key.id, "7d");
    await deliver();
    expect((await told("key.created")).hooks).toBe(1);
    expect(await told("key.rotated")).toEqual({ hooks: 1, mailsSoFar: 2 });
    // The sweeper a day before the grace period ends, twice: one warning.
    const warnAt = new Date(Date.now() + 6.5 * 86_400_000);
    await env.lib.sweepRetiredKeys(warnAt);
    await env.lib.sweepRetiredKeys(warnAt);
    await deliver(warnAt);
    expect((await told("key.retiring-soon")).hooks).toBe(1);
    const after = new Date(Date.now() + 7 * 86_400_000 + 60_000);
    await env.lib.sweepRetiredKeys(after);
    await deliver(after);
    expect(await told("key.retired")).toEqual({ hooks: 1, mailsSoFar: 4 });
  });

  it("subscription requested (to every admin), approved, rejected", async () => {
    const admin = await developer("admin", { admin: true });
    const approved = await developer("approved");
    const rejected = await developer("rejected");
    const target = env.target("weather-basic");
    await env.lib.subscribe(approved.user, target);
    await env.lib.subscribe(rejected.user, target);
    await env.lib.decideSubscription(approved.user.id, target.planId, "approve", target);
    await env.lib.decideSubscription(rejected.user.id, target.planId, "reject", target, "Tell us about your app first.");
    await deliver();
    expect(await approved.told("subscription.approved")).toEqual({ hooks: 1, mailsSoFar: 1 });
    expect(await rejected.told("subscription.rejected")).toEqual({ hooks: 1, mailsSoFar: 1 });
    const rejection = received.find((r) => r.path === "/rejected")!;
    expect(JSON.parse(rejection.body)).toMatchObject({ type: "subscription.rejected", data: { reason: "Tell us about your app first." } });
    // The admin heard of both requests, once each; the developers didn't.
    expect(await admin.told("admin.approval-requested")).toEqual({ hooks: 2, mailsSoFar: 2 });
    expect((await approved.told("admin.approval-requested")).hooks).toBe(0);
  });

  it("a key's quota crossing, stored by a dashboard view", async () => {
    const { user, told } = await developer("quota");
    const { key, value } = await env.lib.createKey(user, "prod");
    const target = env.target("free");
    await env.lib.subscribe(user, target);
    // The owner gives Free a quota of 2 a day (the catalog reads plan terms from API Gateway, as here).
    const { APIGatewayClient, UpdateUsagePlanCommand } = await import("@aws-sdk/client-api-gateway");
    const apigateway = new APIGatewayClient({});
    const quota = (limit: number, period: string) =>
      apigateway.send(
        new UpdateUsagePlanCommand({
          usagePlanId: target.planId,
          patchOperations: [
            { op: "replace", path: "/quota/limit", value: String(limit) },
            { op: "replace", path: "/quota/period", value: period },
          ],
        }),
      );
    await quota(2, "DAY");
    try {
      expect(await env.callApi("pets", value)).toBe(200);
      expect(await env.callApi("pets", value)).toBe(200);
      const plan = (await env.lib.listUsagePlans()).find((p) => p.id === target.planId)!;
      // The dashboard's usage view stores the figures, and with them the alert.
      await env.lib.getPlanUsage(user.id, target.planId, 7, { plan });
    } finally {
      await quota(1000, "MONTH");
    }
    await deliver();
    expect(await told("quota.threshold")).toEqual({ hooks: 1, mailsSoFar: 2 });
    const alert = received.filter((r) => r.path === "/quota").map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(alert.find((a) => a.type === "quota.threshold")!.data).toMatchObject({ keyId: key.id, threshold: 100, used: 2, limit: 2, period: "DAY" });
  });

  it("a team's key created: told once to each owner and admin (the subject names the team), never to members", async () => {
    const teams = await import("@/lib/teams");
    const owner = await developer("team-owner");
    const admin = await developer("team-admin");
    const member = await developer("team-member");
    const team = await teams.createTeam(owner.user, { name: "Globex", slug: `globex-${process.pid}` });
    for (const [who, role] of [
      [admin.user, "admin"],
      [member.user, "member"],
    ] as const) {
      const { link } = await teams.invite(team, owner.user, who.email, role);
      await teams.acceptInvite(who, new URL(link).searchParams.get("token")!);
    }
    await env.lib.createKey({ id: team.id, email: null, team: { slug: team.slug } }, "shared");
    await deliver();
    await deliver();
    expect(await owner.told("key.created")).toEqual({ hooks: 1, mailsSoFar: 1 });
    expect(await admin.told("key.created")).toEqual({ hooks: 1, mailsSoFar: 1 });
    expect(await member.told("key.created")).toEqual({ hooks: 0, mailsSoFar: 0 });
    const hook = JSON.parse(received.find((r) => r.path === "/team-admin")!.body) as { type: string; data: Record<string, unknown> };
    expect(hook).toMatchObject({ type: "key.created", data: { keyName: "shared" } });
    const { messages } = (await (await fetch(`${env.sandbox.url}/_sandbox/ses/messages?to=${encodeURIComponent(admin.user.email)}`)).json()) as {
      messages: { subject: string; text: string; html: string }[];
    };
    expect(messages.map((m) => m.subject)).toEqual([expect.stringMatching(/^Globex: /)]);
    // The body names the team, its links go to the team's page, and "wasn't you?" is about the team's members, not a stolen password.
    expect(messages[0]!.text).toContain("This is about the team Globex");
    expect(messages[0]!.html).toContain(`/teams/${team.slug}#api-keys`);
    expect(messages[0]!.html).not.toContain("/dashboard#api-keys");
    expect(messages[0]!.text).not.toContain("change your password");
  });
});
