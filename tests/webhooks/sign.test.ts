import { describe, expect, it } from "vitest";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { generateWebhookSecret, isWebhookSecret, webhookSecretSchema } from "@/lib/webhooks/secret";
import { signWebhook } from "@/lib/webhooks/sign";

const payload = JSON.stringify({ type: "quota.threshold", data: { keyId: "k1", threshold: 80 } });

describe("webhook secrets", () => {
  it("are whsec_ and the base64 of 32 random bytes, different each time", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(isWebhookSecret(secret)).toBe(true);
    // The library accepts it as a key.
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it("are refused when malformed, without the value in the message", () => {
    const bytes = (n: number) => Buffer.alloc(n, 7).toString("base64");
    for (const bad of [
      "",
      bytes(32), // no prefix
      `whsec_`,
      `whsec_${bytes(16)}`, // too short
      `whsec_${bytes(65)}`, // too long
      `whsec_${bytes(32).slice(0, -1)}`, // bad padding
      `whsec_${bytes(32).replace("B", "-")}`, // base64url alphabet
      ` whsec_${bytes(32)}`,
    ]) {
      expect(isWebhookSecret(bad), bad).toBe(false);
    }
    expect(isWebhookSecret(`whsec_${bytes(24)}`)).toBe(true);
    const parsed = webhookSecretSchema.safeParse("whsec_not-a-secret!");
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).not.toContain("not-a-secret");
  });
});

describe("signWebhook", () => {
  const timestamp = new Date();

  it("makes headers the library's own verifier accepts", () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ secrets: [secret], id: "msg_1", timestamp, payload });
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(timestamp.getTime() / 1000)));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(payload, { ...headers })).toEqual(JSON.parse(payload));
  });

  it("is refused by a verifier with another secret, or for a changed payload, id or timestamp", () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ secrets: [secret], id: "msg_1", timestamp, payload });
    expect(() => new Webhook(generateWebhookSecret()).verify(payload, { ...headers })).toThrow(WebhookVerificationError);
    const verifier = new Webhook(secret);
    expect(() => verifier.verify(payload.replace("80", "100"), { ...headers })).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(payload, { ...headers, "webhook-id": "msg_2" })).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(payload, { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) })).toThrow(
      WebhookVerificationError,
    );
  });

  it("signs with every secret during a rotation: a receiver holding either one verifies", () => {
    const [next, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook({ secrets: [next, previous], id: "msg_1", timestamp, payload });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(next).verify(payload, { ...headers })).toEqual(JSON.parse(payload));
    expect(new Webhook(previous).verify(payload, { ...headers })).toEqual(JSON.parse(payload));
    expect(() => new Webhook(generateWebhookSecret()).verify(payload, { ...headers })).toThrow(WebhookVerificationError);
    // The same secret twice signs once.
    expect(signWebhook({ secrets: [next, next], id: "msg_1", timestamp, payload })["webhook-signature"].split(" ")).toHaveLength(1);
  });

  it("refuses no secret, a malformed one, or an id that can't be a header — naming no secret", () => {
    const secret = generateWebhookSecret();
    expect(() => signWebhook({ secrets: [], id: "msg_1", timestamp, payload })).toThrow(/1 to 5 signing secrets/);
    const malformed = "whsec_c2hvcnQ=";
    try {
      signWebhook({ secrets: [secret, malformed], id: "msg_1", timestamp, payload });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/malformed/);
      expect((error as Error).message).not.toContain("c2hvcnQ");
    }
    expect(() => signWebhook({ secrets: [secret], id: "msg 1", timestamp, payload })).toThrow(/message id/);
    expect(() => signWebhook({ secrets: [secret], id: "msg\r\nx: y", timestamp, payload })).toThrow(/message id/);
    expect(() => signWebhook({ secrets: [secret], id: "msg_1", timestamp: new Date(Number.NaN), payload })).toThrow(/timestamp/);
  });
});
