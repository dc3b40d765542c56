import { createVerify } from "node:crypto";
import MessageValidator from "sns-validator";
import { processCache } from "../cache/process";

/**
 * SNS message signatures (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA), checked with AWS's
 * own validator (sns-validator) against the certificate at SigningCertURL, which must be https on
 * an SNS host. The certificate is fetched once per URL and kept for the life of the Lambda container.
 *
 * When this process is pointed at another SNS endpoint (AWS_ENDPOINT_URL_SNS or AWS_ENDPOINT_URL, the
 * AWS SDK's standard settings, as the local sandbox sets them), certificates that endpoint serves
 * are the ones trusted, and checked here with node:crypto (sns-validator only fetches over https
 * from AWS's hosts). Deployed functions have neither setting, so only SNS's own hosts count.
 */

export interface SignedSnsMessage {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string | null;
  Message: string;
  Timestamp: string;
  SignatureVersion: "1" | "2";
  Signature: string;
  SigningCertUrl: string;
}

// sns.<region>.amazonaws.com(.cn) with a real region's shape: `sns.s3.amazonaws.com` is an S3 bucket named "sns".
const SNS_CERT_HOST = /^sns\.[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d\.amazonaws\.com(\.cn)?$/;
const SNS_CERT_PATH = /^\/SimpleNotificationService-[0-9a-f]+\.pem$/;
const CERT_TIMEOUT_MS = 5_000;

const validator = new MessageValidator(SNS_CERT_HOST);

/** sns-validator's answers that mean "not SNS's message"; anything else (the certificate could not be fetched) is worth a retry. */
const VALIDATOR_REJECTIONS: [RegExp, string][] = [
  [/^The message signature is invalid\.$/, "signature does not verify"],
  [/^The certificate is located on an invalid domain\.$/, "signing certificate is not on an SNS host"],
  [/^The signature version .* is not supported\.$/, "signature version is not supported"],
  [/^Message missing required keys\.$/, "message lacks signature fields"],
];

/**
 * Undefined when SNS (or the configured SNS endpoint) signed the message; otherwise why not, naming no content.
 * Throws when the certificate can't be had right now, so that AWS delivers the message again.
 */
export async function snsSignatureProblem(message: SignedSnsMessage): Promise<string | undefined> {
  let certUrl: URL;
  try {
    certUrl = new URL(message.SigningCertUrl);
  } catch {
    return "signing certificate URL is not a URL";
  }
  const endpoint = configuredSnsOrigin();
  if (endpoint && certUrl.origin === endpoint) return verifyWithEndpointCertificate(message, certUrl.href);
  // Checked here as well as by the validator, so that nothing is ever fetched from a URL of another shape.
  if (certUrl.protocol !== "https:" || !SNS_CERT_HOST.test(certUrl.host) || !SNS_CERT_PATH.test(certUrl.pathname) || certUrl.search || certUrl.username) {
    return "signing certificate is not an https .pem on an SNS host";
  }
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        // The validator renames Lambda's SigningCertUrl on the object it is given: hand it a copy.
        validator.validate({ ...message }, (error) => (error ? reject(error) : resolve()));
      }),
    );
    return undefined;
  } catch (error) {
    const text = error instanceof Error ? error.message : "";
    const rejection = VALIDATOR_REJECTIONS.find(([pattern]) => pattern.test(text));
    if (rejection) return rejection[1];
    throw new Error(`could not check the SNS signature: ${text || "unknown error"}`, { cause: error });
  }
}

/** The SNS endpoint this process is configured with, the way the AWS SDK reads it; undefined for AWS's own. */
function configuredSnsOrigin(): string | undefined {
  const value = process.env.AWS_ENDPOINT_URL_SNS || process.env.AWS_ENDPOINT_URL;
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

// A failed fetch isn't kept (remember drops it): the redelivery fetches again.
const endpointCertificates = processCache<Promise<string>>("SnsCertificates", 16);

async function fetchCertificate(certUrl: string): Promise<string> {
  const response = await withTimeout(fetch(certUrl, { redirect: "error" }));
  if (!response.ok) throw new Error(`could not fetch the SNS endpoint's signing certificate: HTTP ${response.status}`);
  return response.text();
}

async function verifyWithEndpointCertificate(message: SignedSnsMessage, certUrl: string): Promise<string | undefined> {
  const certificate = await endpointCertificates.remember(certUrl, () => fetchCertificate(certUrl));
  const verifier = createVerify(message.SignatureVersion === "1" ? "RSA-SHA1" : "RSA-SHA256").update(stringToSign(message));
  return verifier.verify(certificate, message.Signature, "base64") ? undefined : "signature does not verify";
}

/** SNS's string to sign for a Notification: `name\nvalue\n` for each field, Subject only when present. */
function stringToSign(message: SignedSnsMessage): string {
  const { Message, MessageId, Subject, Timestamp, TopicArn, Type } = message;
  const fields = { Message, MessageId, Subject, Timestamp, TopicArn, Type };
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, value]) => `${name}\n${value}\n`)
    .join("");
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${CERT_TIMEOUT_MS / 1000} s fetching the signing certificate`)), CERT_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
