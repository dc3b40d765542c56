import type { ServerResponse } from "node:http";
import path from "node:path";
import type { SandboxContext } from "../context";
import type { EdgeRequest, SandboxService } from "../service";
import { PayloadTooLarge, readBody, sendJson } from "../http";
import { Deliveries, lambdaFunctionName, type Notification } from "./delivery";
import { invalidParameter, notFound, queryParams, readMap, readMessageAttributes, sendError, sendResult, SnsError, xmlFields } from "./query";
import { SnsStore, type Subscription } from "./store";

const PAGE_SIZE = 100;
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * SNS over the AWS Query protocol: topics, lambda/http(s) subscriptions and Publish with
 * asynchronous, at-least-once delivery of messages signed like SNS's (signing.ts; the topic's
 * SignatureVersion attribute picks SHA1 or SHA256). `POST /_sandbox/sns/drain` waits for deliveries in flight.
 */
export async function createSns(ctx: SandboxContext): Promise<SandboxService> {
  const store = new SnsStore(path.join(ctx.stateDir, "sns.json"), ctx.log);
  const deliveries = new Deliveries(ctx);
  const topicArn = (name: string) => `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;

  const required = (params: Map<string, string>, name: string): string => {
    const value = params.get(name);
    if (!value) throw invalidParameter(`${name} Reason: no value for required parameter`);
    return value;
  };
  const existingTopic = (arn: string) => {
    const topic = store.topic(arn);
    if (!topic) throw notFound("Topic does not exist");
    return topic;
  };

  const actions: Record<string, (params: Map<string, string>) => string | undefined> = {
    CreateTopic(params) {
      const name = required(params, "Name");
      if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) throw invalidParameter("Topic Name");
      const attributes = readMap(params, "Attributes", "key", "value");
      if (attributes.get("FifoTopic") === "true") throw invalidParameter("The sandbox does not emulate FIFO topics");
      const version = attributes.get("SignatureVersion");
      return xmlFields({ TopicArn: store.createTopic(topicArn(name), name, version === undefined ? undefined : signatureVersion(version)).arn });
    },
    ListTopics(params) {
      const { page, nextToken } = paginate(store.listTopics(), params.get("NextToken"));
      return `<Topics>${page.map((t) => `<member>${xmlFields({ TopicArn: t.arn })}</member>`).join("")}</Topics>${xmlFields({ NextToken: nextToken })}`;
    },
    GetTopicAttributes(params) {
      const topic = existingTopic(required(params, "TopicArn"));
      const attributes = {
        TopicArn: topic.arn,
        Owner: ctx.accountId,
        DisplayName: "",
        SignatureVersion: topic.signatureVersion ?? "1",
        SubscriptionsConfirmed: String(store.subscriptionsOf(topic.arn).length),
        SubscriptionsPending: "0",
        SubscriptionsDeleted: "0",
      };
      return `<Attributes>${Object.entries(attributes)
        .map(([key, value]) => `<entry>${xmlFields({ key, value })}</entry>`)
        .join("")}</Attributes>`;
    },
    SetTopicAttributes(params) {
      const topic = existingTopic(required(params, "TopicArn"));
      const name = required(params, "AttributeName");
      if (name !== "SignatureVersion") throw invalidParameter(`AttributeName (the sandbox emulates SignatureVersion only, not ${name})`);
      store.setSignatureVersion(topic.arn, signatureVersion(params.get("AttributeValue") ?? ""));
      return undefined;
    },
    DeleteTopic(params) {
      store.deleteTopic(required(params, "TopicArn"));
      return undefined;
    },
    Subscribe(params) {
      const topic = existingTopic(required(params, "TopicArn"));
      const protocol = required(params, "Protocol");
      const endpoint = required(params, "Endpoint");
      if (protocol !== "lambda" && protocol !== "http" && protocol !== "https") {
        throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol} (the sandbox delivers to lambda, http and https)`);
      }
      if (protocol === "lambda" ? !lambdaFunctionName(endpoint) : !isUrl(endpoint, protocol)) {
        throw invalidParameter(protocol === "lambda" ? "Lambda endpoint ARN" : "Endpoint must match the specified protocol");
      }
      // Real http(s) subscriptions stay "pending confirmation" until the endpoint confirms; the sandbox confirms at once.
      return xmlFields({ SubscriptionArn: store.subscribe(topic.arn, protocol, endpoint).arn });
    },
    Unsubscribe(params) {
      if (!store.unsubscribe(required(params, "SubscriptionArn"))) throw notFound("Subscription does not exist");
      return undefined;
    },
    ListSubscriptionsByTopic(params) {
      const topic = existingTopic(required(params, "TopicArn"));
      const { page, nextToken } = paginate(store.subscriptionsOf(topic.arn), params.get("NextToken"));
      const members = page.map((s) => `<member>${subscriptionXml(s, ctx.accountId)}</member>`).join("");
      return `<Subscriptions>${members}</Subscriptions>${xmlFields({ NextToken: nextToken })}`;
    },
    Publish(params) {
      const arn = params.get("TopicArn") ?? params.get("TargetArn");
      if (!arn) throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
      const topic = existingTopic(arn);
      const message = params.get("Message");
      if (!message) throw invalidParameter("Empty message");
      const subject = params.get("Subject");
      if (subject !== undefined && !/^[\x21-\x7E][\x20-\x7E]{0,99}$/.test(subject)) throw invalidParameter("Subject");
      const messageAttributes = readMessageAttributes(params);
      const size = Buffer.byteLength(message) + Buffer.byteLength(JSON.stringify(messageAttributes));
      if (size > MAX_MESSAGE_BYTES) throw invalidParameter("Message too long");
      const notification: Notification = {
        messageId: crypto.randomUUID(),
        topicArn: topic.arn,
        subject,
        messages: params.get("MessageStructure") === "json" ? perProtocolMessages(message) : { default: message },
        timestamp: new Date().toISOString(),
        messageAttributes,
        signatureVersion: topic.signatureVersion ?? "1",
      };
      deliveries.dispatch(notification, store.subscriptionsOf(topic.arn));
      return xmlFields({ MessageId: notification.messageId });
    },
  };

  async function handleAdmin(req: EdgeRequest, res: ServerResponse): Promise<void> {
    req.raw.resume();
    if (req.url.pathname === "/_sandbox/sns/drain" && req.raw.method === "POST") {
      sendJson(res, 200, { deliveries: await deliveries.drain() });
    } else if (req.url.pathname.endsWith(".pem") && req.raw.method === "GET" && `${ctx.url}${req.url.pathname}` === deliveries.signingCertUrl) {
      // The signing certificate, at the SigningCertURL of the messages, as SNS serves its own.
      const pem = deliveries.signing.certificate;
      res.writeHead(200, { "content-type": "application/x-x509-ca-cert", "content-length": Buffer.byteLength(pem) });
      res.end(pem);
    } else {
      sendJson(res, 404, {
        message: "Unknown sandbox SNS endpoint; POST /_sandbox/sns/drain waits for deliveries, GET the SigningCertURL of a message for its certificate",
      });
    }
  }

  return {
    name: "sns",
    claims: (req) => req.signingName === "sns" || req.url.pathname.startsWith("/_sandbox/sns/") || isUnsubscribeLink(req),
    async handle(req, res) {
      if (req.url.pathname.startsWith("/_sandbox/sns/")) return handleAdmin(req, res);
      let params: Map<string, string>;
      try {
        params = queryParams((await readBody(req.raw)).toString("utf8"), req.url);
      } catch (error) {
        if (error instanceof PayloadTooLarge) return sendError(res, 413, "RequestEntityTooLarge", "Request body too large");
        throw error;
      }
      const action = params.get("Action");
      if (!action) return sendError(res, 400, "MissingAction", "Missing Action");
      const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
      if (!run)
        return sendError(
          res,
          400,
          "InvalidAction",
          `The action ${action} is not valid for this web service (the sandbox emulates ${Object.keys(actions).join(", ")}).`,
        );
      try {
        sendResult(res, action, run(params));
      } catch (error) {
        if (error instanceof SnsError) return sendError(res, error.status, error.code, error.message);
        ctx.log(`sns: ${action} failed: ${error instanceof Error ? error.message : String(error)}`);
        sendError(res, 500, "InternalError", "Internal error in the sandbox");
      }
    },
    writeFault: (res, kind) =>
      kind === "throttle"
        ? sendError(res, 400, "Throttling", "Rate exceeded")
        : sendError(res, 500, "InternalError", "Internal error (injected by the sandbox)"),
    close: () => deliveries.close(),
  };
}

function signatureVersion(value: string): "1" | "2" {
  if (value !== "1" && value !== "2") throw invalidParameter("SignatureVersion");
  return value;
}

/** The UnsubscribeURL in notifications is an unsigned GET, like SNS's own link. */
function isUnsubscribeLink(req: EdgeRequest): boolean {
  const { pathname, searchParams } = req.url;
  return (
    req.raw.method === "GET" &&
    pathname === "/" &&
    searchParams.get("Action") === "Unsubscribe" &&
    (searchParams.get("SubscriptionArn") ?? "").startsWith("arn:aws:sns:")
  );
}

function isUrl(endpoint: string, protocol: "http" | "https"): boolean {
  try {
    return new URL(endpoint).protocol === `${protocol}:`;
  } catch {
    return false;
  }
}

function subscriptionXml(s: Subscription, owner: string): string {
  return xmlFields({ SubscriptionArn: s.arn, Owner: owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn });
}

function paginate<T>(items: T[], token: string | undefined): { page: T[]; nextToken?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) throw invalidParameter("NextToken");
  const end = start + PAGE_SIZE;
  return { page: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}

/** `MessageStructure=json`: `{"default": "...", "lambda": "...", ...}`. */
function perProtocolMessages(message: string): Notification["messages"] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter("Message Structure - JSON message body failed to parse");
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as Record<string, unknown>).default !== "string") {
    throw invalidParameter("Message Structure - No default entry in JSON message body");
  }
  const entries = Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return Object.fromEntries(entries) as Notification["messages"];
}
