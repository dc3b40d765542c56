import { createHash, createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

/** The fields SNS signs in a Notification, in the order it signs them (Subject only when present). */
export interface SignedFields {
  Message: string;
  MessageId: string;
  Subject?: string | null;
  Timestamp: string;
  TopicArn: string;
  Type: string;
}

export type SignatureVersion = "1" | "2";

/** SNS's "string to sign": each field as `name\nvalue\n`, in byte order of the names. */
export function stringToSign(fields: SignedFields): string {
  const { Message, MessageId, Subject, Timestamp, TopicArn, Type } = fields;
  const entries: [string, string | null | undefined][] = [
    ["Message", Message],
    ["MessageId", MessageId],
    ["Subject", Subject],
    ["Timestamp", Timestamp],
    ["TopicArn", TopicArn],
    ["Type", Type],
  ];
  return entries
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, value]) => `${name}\n${value}\n`)
    .join("");
}

export interface SnsSigner {
  /** The X.509 certificate (PEM) a receiver fetches from SigningCertURL. */
  certificate: string;
  /** `SimpleNotificationService-<32 hex>.pem`, named after the certificate like SNS's own, so a new key gets a new URL. */
  fileName: string;
  /** Base64 SHA1withRSA (version 1) or SHA256withRSA (version 2) over the string to sign. */
  sign(fields: SignedFields, version: SignatureVersion): string;
}

/**
 * An RSA key and a self-signed certificate for it, made fresh for each sandbox, so receivers can
 * verify the sandbox's messages the way they verify SNS's (only the certificate's origin differs).
 */
export function createSnsSigner(): SnsSigner {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const name = [{ shortName: "CN", value: "sns.sandbox.localhost" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()), forge.md.sha256.create());
  const certificate = forge.pki.certificateToPem(cert);
  return {
    certificate,
    fileName: `SimpleNotificationService-${createHash("sha256").update(certificate).digest("hex").slice(0, 32)}.pem`,
    sign: (fields, version) =>
      createSign(version === "1" ? "RSA-SHA1" : "RSA-SHA256")
        .update(stringToSign(fields))
        .sign(privateKey, "base64"),
  };
}
