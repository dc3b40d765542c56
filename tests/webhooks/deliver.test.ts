import dc from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Webhook } from "standardwebhooks";
import { deliverWebhook, WEBHOOK_USER_AGENT } from "@/lib/webhooks/deliver";
import { generateWebhookSecret } from "@/lib/webhooks/secret";
import type { Resolver } from "@/lib/webhooks/target";
import { selfSignedCertificate, startListener, startReceiver, type Listener, type Receiver } from "./servers";

const payload = JSON.stringify({ type: "key.rotated", data: { keyId: "k1", keyName: "prod" } });
const answers =
  (...addresses: string[]): Resolver =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));

const cleanups: (() => Promise<void>)[] = [];
async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  cleanups.push(started.close);
  return started;
}
async function listener(host?: string): Promise<Listener> {
  const started = await startListener(host);
  cleanups.push(started.close);
  return started;
}

beforeEach(() => {
  // The sandbox's and the tests' setting: receivers listen on 127.0.0.1.
  vi.stubEnv("PORTICO_WEBHOOKS_ALLOW_PRIVATE", "1");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

describe("deliverWebhook to a local receiver (private targets allowed)", () => {
  it("POSTs the JSON payload with headers the library's own verifier accepts", async () => {
    const secret = generateWebhookSecret();
    const hook = await receiver((_, res) => res.writeHead(204).end());
    const result = await deliverWebhook({ url: hook.url("/hooks/portico?tenant=7"), secrets: [secret], id: "msg_1", payload });
    expect(result).toMatchObject({ ok: true, status: 204, response: "" });
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    expect(request).toMatchObject({ method: "POST", path: "/hooks/portico?tenant=7", body: payload });
    expect(request!.headers).toMatchObject({ "content-type": "application/json", "user-agent": WEBHOOK_USER_AGENT, host: `127.0.0.1:${hook.port}` });
    expect(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).toEqual(JSON.parse(payload));
    expect(() => new Webhook(generateWebhookSecret()).verify(request!.body, request!.headers as Record<string, string>)).toThrow();
  });

  it("during a rotation, a receiver holding either the new or the old secret verifies", async () => {
    const [next, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const hook = await receiver();
    const result = await deliverWebhook({ url: hook.url(), secrets: [next, previous], id: "msg_2", timestamp: new Date(), payload });
    expect(result).toMatchObject({ ok: true, status: 200, response: "ok" });
    const { body, headers } = hook.received[0]!;
    for (const secret of [next, previous]) expect(new Webhook(secret).verify(body, headers as Record<string, string>)).toEqual(JSON.parse(payload));
  });

  it("keeps the Host header of the registered name when connecting to its resolved address", async () => {
    const hook = await receiver();
    const result = await deliverWebhook(
      { url: `http://hooks.test:${hook.port}/x`, secrets: [generateWebhookSecret()], id: "msg_3", payload },
      { resolve: answers("127.0.0.1") },
    );
    expect(result.ok).toBe(true);
    expect(hook.received[0]!.headers.host).toBe(`hooks.test:${hook.port}`);
  });

  it("records a non-2xx answer as a failure with its status and body", async () => {
    const hook = await receiver((_, res) => res.writeHead(500, { "content-type": "text/plain" }).end("database down"));
    const result = await deliverWebhook({ url: hook.url(), secrets: [generateWebhookSecret()], id: "msg_4", payload });
    expect(result).toMatchObject({ ok: false, status: 500, error: "HTTP 500", response: "database down" });
  });

  it.each([301, 302, 307, 308])("doesn't follow a %i redirect: it fails with its status and the redirect target receives nothing", async (status) => {
    const elsewhere = await receiver();
    const hook = await receiver((_, res) => res.writeHead(status, { location: elsewhere.url("/stolen") }).end());
    const result = await deliverWebhook({ url: hook.url(), secrets: [generateWebhookSecret()], id: "msg_5", payload });
    expect(result).toMatchObject({ ok: false, status, error: `redirect (HTTP ${status}) not followed` });
    expect(hook.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
  });

  it("keeps at most 4 KB of the answer", async () => {
    const hook = await receiver((_, res) => res.end("x".repeat(3000) + "y".repeat(7000)));
    const result = await deliverWebhook({ url: hook.url(), secrets: [generateWebhookSecret()], id: "msg_6", payload });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.response).toBe("x".repeat(3000) + "y".repeat(1096));
  });

  it("gives up on an endpoint that never answers, after the timeout", async () => {
    const hook = await receiver(() => {}); // reads the request, never answers
    const result = await deliverWebhook({ url: hook.url(), secrets: [generateWebhookSecret()], id: "msg_7", payload }, { timeoutMs: 300 });
    expect(result).toEqual({ ok: false, error: "timed out after 0.3 s", durationMs: expect.any(Number) });
    expect(hook.received).toHaveLength(1);
  });

  it("takes an answer whose body stalls as what arrived before the timeout", async () => {
    const hook = await receiver((_, res) => {
      res.writeHead(202);
      res.write("accepted, still thinking");
    });
    const result = await deliverWebhook({ url: hook.url(), secrets: [generateWebhookSecret()], id: "msg_7b", payload }, { timeoutMs: 300 });
    expect(result).toMatchObject({ ok: true, status: 202, response: "accepted, still thinking" });
  });

  it("says when the host name doesn't resolve", async () => {
    const resolve: Resolver = () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }));
    const result = await deliverWebhook({ url: "https://nowhere.test/", secrets: [generateWebhookSecret()], id: "msg_7c", payload }, { resolve });
    expect(result).toMatchObject({ ok: false, error: "nowhere.test was not found (DNS)." });
  });

  it("says so in words when nothing listens, naming no secret", async () => {
    const closed = await startReceiver();
    await closed.close();
    const secret = generateWebhookSecret();
    const result = await deliverWebhook({ url: closed.url(), secrets: [secret], id: "msg_8", payload });
    expect(result).toMatchObject({ ok: false, error: "connection refused" });
    expect(JSON.stringify(result)).not.toContain(secret.slice(6));
  });

  it("fails without sending for a malformed secret, without naming it", async () => {
    const hook = await receiver();
    const result = await deliverWebhook({ url: hook.url(), secrets: ["whsec_dG9vIHNob3J0"], id: "msg_9", payload });
    expect(result).toMatchObject({ ok: false, error: "A webhook signing secret is malformed." });
    expect(hook.received).toHaveLength(0);
  });
});

describe("deliverWebhook to hostile targets (private targets not allowed)", () => {
  const strict = { allowPrivate: false };

  it.each([
    ["https://127.0.0.1:PORT/", "refused: 127.0.0.1 is a loopback address"],
    ["https://2130706433:PORT/", "refused: 127.0.0.1 is a loopback address"],
    ["https://0177.0.0.1:PORT/", "refused: 127.0.0.1 is a loopback address"],
    ["https://0x7f.0.0.1:PORT/", "refused: 127.0.0.1 is a loopback address"],
    ["https://127.1:PORT/", "refused: 127.0.0.1 is a loopback address"],
    ["https://[::ffff:127.0.0.1]:PORT/", "refused: ::ffff:7f00:1 is a loopback address"],
    ["https://0:PORT/", "refused: 0.0.0.0 is an unspecified address"], // 0.0.0.0 reaches this machine on Linux
    ["https://localhost:PORT/", "refused: localhost is a loopback name"],
    ["http://127.0.0.1:PORT/", "The URL must start with https://."],
    ["https://user:secret@127.0.0.1:PORT/", "The URL must not contain a user name or password."],
  ])("refuses %s: nothing reaches the listener", async (url, error) => {
    const local = await listener();
    const resolve = vi.fn(answers("127.0.0.1"));
    const result = await deliverWebhook(
      { url: url.replace("PORT", String(local.port)), secrets: [generateWebhookSecret()], id: "msg_h", payload },
      { ...strict, resolve },
    );
    expect(result).toEqual({ ok: false, error, durationMs: expect.any(Number) });
    expect(local.connections()).toBe(0);
    expect(resolve).not.toHaveBeenCalled();
  });

  it.each([
    [["127.0.0.1"], "refused: hooks.test resolves to 127.0.0.1, a loopback address"],
    [["93.184.215.14", "127.0.0.1"], "refused: hooks.test resolves to 127.0.0.1, a loopback address"],
    [["::ffff:127.0.0.1"], "refused: hooks.test resolves to ::ffff:127.0.0.1, a loopback address"],
    [["10.0.0.5"], "refused: hooks.test resolves to 10.0.0.5, a private address"],
    [["169.254.169.254"], "refused: hooks.test resolves to 169.254.169.254, the cloud metadata address"],
  ])("refuses a host name resolving to %j", async (addresses, error) => {
    const local = await listener();
    const result = await deliverWebhook(
      { url: `https://hooks.test:${local.port}/`, secrets: [generateWebhookSecret()], id: "msg_h", payload },
      { ...strict, resolve: answers(...addresses) },
    );
    expect(result).toMatchObject({ ok: false, error });
    expect(local.connections()).toBe(0);
  });

  it("doesn't include the credentials it refuses in its error", async () => {
    const result = await deliverWebhook({ url: "https://admin:hunter2@hooks.example.com/", secrets: [generateWebhookSecret()], id: "msg_h", payload }, strict);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });
});

describe("deliverWebhook over https to a pinned address", () => {
  // The receiver is on loopback (private targets allowed, as in the sandbox); the injected resolver
  // gives the registered name that address, and the certificate is for the name only.
  const tls = selfSignedCertificate("hooks.test");

  it("connects to the resolved address with the registered name as Host and TLS server name, verifying the certificate for it", async () => {
    const hook = await receiver(undefined, "127.0.0.1", 0, tls);
    const secret = generateWebhookSecret();
    const result = await deliverWebhook(
      { url: `https://hooks.test:${hook.port}/in`, secrets: [secret], id: "msg_t", payload },
      { resolve: answers("127.0.0.1"), ca: tls.cert },
    );
    expect(result).toMatchObject({ ok: true, status: 200, response: "ok" });
    expect(hook.serverNames).toEqual(["hooks.test"]);
    expect(hook.received[0]!.headers.host).toBe(`hooks.test:${hook.port}`);
    expect(new Webhook(secret).verify(hook.received[0]!.body, hook.received[0]!.headers as Record<string, string>)).toEqual(JSON.parse(payload));
  });

  it("refuses a certificate for another name, and an untrusted one", async () => {
    const hook = await receiver(undefined, "127.0.0.1", 0, tls);
    const send = (host: string, ca?: string) =>
      deliverWebhook(
        { url: `https://${host}:${hook.port}/in`, secrets: [generateWebhookSecret()], id: "msg_t", payload },
        { resolve: answers("127.0.0.1"), ca },
      );
    expect(await send("other.test", tls.cert)).toMatchObject({ ok: false, error: "TLS certificate does not match the host name" });
    expect(await send("hooks.test")).toMatchObject({ ok: false, error: "TLS certificate is self-signed" });
    expect(hook.received).toHaveLength(0);
  });
});

describe("DNS rebinding: the connection goes to the address that was checked", () => {
  /** A resolver whose first answer differs from every later one, counting its calls. */
  function rebinding(first: string, later: string) {
    const calls: string[] = [];
    const resolve: Resolver = (hostname) => {
      calls.push(hostname);
      return answers(calls.length === 1 ? first : later)(hostname);
    };
    return { resolve, calls };
  }

  it("with private targets allowed, the delivery reaches the first answer, never the later one", async () => {
    // Same port on two loopback addresses: which one gets the request shows which address was used.
    const checked = await receiver();
    const rebound = await receiver(undefined, "127.0.0.2", checked.port);
    const { resolve, calls } = rebinding("127.0.0.1", "127.0.0.2");
    const result = await deliverWebhook({ url: `http://rebind.test:${checked.port}/`, secrets: [generateWebhookSecret()], id: "msg_r", payload }, { resolve });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(checked.received).toHaveLength(1);
    expect(rebound.received).toHaveLength(0);
    expect(calls).toEqual(["rebind.test"]);
  });

  it("a public first answer and a private later one: the private address is never connected to", async () => {
    const local = await listener();
    const { resolve } = rebinding("93.184.215.14", "127.0.0.1");
    // Every client socket this test opens is stopped after its lookup, before it connects: nothing
    // leaves the machine, and the address each would have connected to is recorded.
    const looked: string[] = [];
    const stop = ({ socket }: { socket: Socket }) =>
      socket.once("lookup", (_error: Error | null, address: string) => {
        looked.push(address);
        socket.destroy(new Error("stopped by the test"));
      });
    dc.subscribe("net.client.socket", stop as (message: unknown) => void);
    try {
      const result = await deliverWebhook(
        { url: `https://rebind.test:${local.port}/`, secrets: [generateWebhookSecret()], id: "msg_r", payload },
        { allowPrivate: false, resolve, timeoutMs: 2000 },
      );
      expect(result.ok).toBe(false);
    } finally {
      dc.unsubscribe("net.client.socket", stop as (message: unknown) => void);
    }
    expect(looked).toEqual(["93.184.215.14"]);
    expect(local.connections()).toBe(0);
  });
});
