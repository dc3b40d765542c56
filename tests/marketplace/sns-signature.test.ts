import { randomBytes, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import https from "node:https";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { snsSignatureProblem, type SignedSnsMessage } from "@/lib/marketplace/sns-signature";
import { createSnsSigner, type SignatureVersion } from "@/local/sns/signing";
import { marketplaceMessage, startSnsSigning, SUBSCRIPTION_TOPIC } from "./stream";

/**
 * The signature check on its own. Real SNS certificates come from https://sns.<region>.amazonaws.com
 * through sns-validator, which fetches with node:https: that fetch is stubbed here to serve a
 * certificate made for the test, so the validator checks signatures made by local/sns/signing.ts
 * (the sandbox's signer, checked against an implementation that isn't ours).
 */

const signer = createSnsSigner();
/** A fresh SNS-shaped certificate URL: the validator caches certificates by URL for the life of the process. */
const snsCertUrl = (region = "us-east-1", domain = "amazonaws.com") =>
  `https://sns.${region}.${domain}/SimpleNotificationService-${randomBytes(16).toString("hex")}.pem`;

function signed(overrides: Partial<SignedSnsMessage> = {}, version: SignatureVersion = "1", by = signer): SignedSnsMessage {
  const fields = {
    Type: "Notification",
    MessageId: randomUUID(),
    TopicArn: SUBSCRIPTION_TOPIC,
    Subject: null,
    Message: marketplaceMessage("subscribe-success", "X01EXAMPLEX"),
    Timestamp: new Date().toISOString(),
  };
  return { ...fields, SignatureVersion: version, Signature: by.sign(fields, version), SigningCertUrl: snsCertUrl(), ...overrides };
}

type Answer = { status: number; body: string } | Error;

/** Stands in for the certificate host: `answer` says what a GET of each URL returns. */
function stubCertificateHost(answer: (url: string) => Answer = () => ({ status: 200, body: signer.certificate })) {
  return vi.spyOn(https, "get").mockImplementation(((url: string, callback: (response: Readable & { statusCode: number }) => void) => {
    const request = new EventEmitter();
    const result = answer(String(url));
    setImmediate(() => {
      if (result instanceof Error) request.emit("error", result);
      else callback(Object.assign(Readable.from([result.body]), { statusCode: result.status }));
    });
    return request;
  }) as unknown as typeof https.get);
}

describe("SNS signature verification", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.AWS_ENDPOINT_URL_SNS;
    delete process.env.AWS_ENDPOINT_URL;
  });

  describe("certificates on SNS's hosts (sns-validator)", () => {
    it("accepts SignatureVersion 1 and 2, with or without a Subject, in both partitions' domains; fetches each certificate once", async () => {
      const get = stubCertificateHost();
      const certUrl = snsCertUrl();
      for (const version of ["1", "2"] as const) {
        expect(await snsSignatureProblem(signed({ SigningCertUrl: certUrl }, version))).toBeUndefined();
      }
      const fields = {
        Type: "Notification",
        MessageId: randomUUID(),
        TopicArn: SUBSCRIPTION_TOPIC,
        Subject: "Hello",
        Message: "{}",
        Timestamp: new Date().toISOString(),
      };
      expect(await snsSignatureProblem({ ...fields, SignatureVersion: "2", Signature: signer.sign(fields, "2"), SigningCertUrl: certUrl })).toBeUndefined();
      expect(await snsSignatureProblem(signed({ SigningCertUrl: snsCertUrl("cn-north-1", "amazonaws.com.cn") }))).toBeUndefined();
      expect(get.mock.calls.map(([url]) => String(url))).toEqual([certUrl, expect.stringMatching(/^https:\/\/sns\.cn-north-1\.amazonaws\.com\.cn\//)]);
    });

    it("rejects a message whose signed fields were changed, or that another key signed", async () => {
      stubCertificateHost();
      const original = signed();
      const changes: Partial<SignedSnsMessage>[] = [
        { Message: marketplaceMessage("unsubscribe-success", "X01EXAMPLEX") },
        { TopicArn: SUBSCRIPTION_TOPIC.replace("portico-pro-sandbox", "other-product") },
        { MessageId: randomUUID() },
        { Timestamp: new Date(Date.now() + 1000).toISOString() },
        { Subject: "added" },
        { SignatureVersion: "2" },
        { Signature: randomBytes(256).toString("base64") },
      ];
      for (const change of changes)
        expect({ change, problem: await snsSignatureProblem({ ...original, ...change }) }).toEqual({ change, problem: "signature does not verify" });
      const otherKey = signed({}, "2", createSnsSigner());
      expect(await snsSignatureProblem({ ...otherKey, SigningCertUrl: original.SigningCertUrl })).toBe("signature does not verify");
      expect(await snsSignatureProblem(original)).toBeUndefined();
    });

    it("rejects certificate URLs that aren't https .pem files on an SNS host, without fetching anything", async () => {
      const get = stubCertificateHost();
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      const name = `SimpleNotificationService-${"a".repeat(32)}.pem`;
      const urls = [
        `http://sns.us-east-1.amazonaws.com/${name}`,
        `https://sns.us-east-1.amazonaws.com.example.net/${name}`,
        `https://example.net/sns.us-east-1.amazonaws.com/${name}`,
        `https://s3.us-east-1.amazonaws.com/${name}`,
        // An S3 bucket named "sns" answers on these: not SNS.
        `https://sns.s3.amazonaws.com/${name}`,
        `https://sns.s3-ap-southeast-2.amazonaws.com/${name}`,
        `https://sns.s3.us-east-1.amazonaws.com/${name}`,
        `https://sns.us-east-1.amazonaws.com/bucket/${name}`,
        `https://sns.us-east-1.amazonaws.com/${name.replace(".pem", ".txt")}`,
        `https://sns.us-east-1.amazonaws.com/?Action=Get&x=.pem`,
        `https://sns.us-east-1.amazonaws.com:8443/${name}`,
        `https://user@sns.us-east-1.amazonaws.com/${name}`,
        `http://localhost:4566/_sandbox/sns/${name}`,
        "not a url",
      ];
      for (const url of urls)
        expect({ url, problem: await snsSignatureProblem(signed({ SigningCertUrl: url })) }).toEqual({
          url,
          problem: expect.stringMatching(/^signing certificate /),
        });
      expect(get).not.toHaveBeenCalled();
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it("throws (so AWS delivers again) when the certificate can't be fetched, and keeps nothing from the failure", async () => {
      const certUrl = snsCertUrl();
      let answer: Answer = new Error("getaddrinfo EAI_AGAIN sns.us-east-1.amazonaws.com");
      stubCertificateHost(() => answer);
      await expect(snsSignatureProblem(signed({ SigningCertUrl: certUrl }))).rejects.toThrow(/could not check the SNS signature: getaddrinfo/);
      answer = { status: 503, body: "<Error>Service Unavailable</Error>" };
      await expect(snsSignatureProblem(signed({ SigningCertUrl: certUrl }))).rejects.toThrow(
        /could not check the SNS signature: Certificate could not be retrieved/,
      );
      answer = { status: 200, body: signer.certificate };
      expect(await snsSignatureProblem(signed({ SigningCertUrl: certUrl }))).toBeUndefined();
    });
  });

  describe("the local sandbox's certificate", () => {
    let served: Awaited<ReturnType<typeof startSnsSigning>>;
    beforeAll(async () => {
      served = await startSnsSigning();
    });
    afterAll(() => served.close());

    const sandboxSigned = (version: SignatureVersion = "1") => signed({ SigningCertUrl: served.certUrl }, version, served.signer);

    it("is trusted only at the SNS endpoint this process is configured with (as the sandbox configures it), and verified there", async () => {
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      expect(await snsSignatureProblem(sandboxSigned())).toBe("signing certificate is not an https .pem on an SNS host");
      process.env.AWS_ENDPOINT_URL_SNS = "http://127.0.0.1:9";
      expect(await snsSignatureProblem(sandboxSigned())).toBe("signing certificate is not an https .pem on an SNS host");
      delete process.env.AWS_ENDPOINT_URL_SNS;
      process.env.AWS_ENDPOINT_URL = "http://localhost:9";
      expect(await snsSignatureProblem(sandboxSigned())).toBe("signing certificate is not an https .pem on an SNS host");
      expect(fetchSpy).not.toHaveBeenCalled();

      // The SNS-specific setting wins over the general one, as in the AWS SDK.
      process.env.AWS_ENDPOINT_URL_SNS = served.origin;
      for (const version of ["1", "2"] as const) expect(await snsSignatureProblem(sandboxSigned(version))).toBeUndefined();
      expect(await snsSignatureProblem({ ...sandboxSigned(), Message: "{}" })).toBe("signature does not verify");
      expect(await snsSignatureProblem({ ...sandboxSigned("2"), SignatureVersion: "1" })).toBe("signature does not verify");
      expect(fetchSpy.mock.calls.map(([url]) => String(url))).toEqual([served.certUrl]);
    });

    it("throws (so AWS delivers again) when the endpoint can't serve its certificate, and fetches it again next time", async () => {
      process.env.AWS_ENDPOINT_URL_SNS = served.origin;
      const certUrl = `${served.origin}/SimpleNotificationService-${randomBytes(16).toString("hex")}.pem`;
      const fetchSpy = vi
        .spyOn(globalThis, "fetch")
        .mockResolvedValueOnce(new Response("unavailable", { status: 503 }))
        .mockResolvedValueOnce(new Response(served.signer.certificate));
      const message = signed({ SigningCertUrl: certUrl }, "2", served.signer);
      await expect(snsSignatureProblem(message)).rejects.toThrow("could not fetch the SNS endpoint's signing certificate: HTTP 503");
      expect(await snsSignatureProblem(message)).toBeUndefined();
      expect(await snsSignatureProblem(message)).toBeUndefined();
      expect(fetchSpy.mock.calls.map(([url]) => String(url))).toEqual([certUrl, certUrl]);
    });
  });
});
