import type { ServerResponse } from "node:http";
import path from "node:path";
import { z } from "zod";
import type { SandboxContext } from "../context";
import { PayloadTooLarge, readBody, sendHtml, sendJson } from "../http";
import type { EdgeRequest, SandboxService } from "../service";
import { parseMailbox } from "./addresses";
import { alreadyExists, badRequest, notFound, SesError, sendSesError } from "./errors";
import { publishEvents } from "./events";
import { MAILBOX_HEADERS, mailboxPage } from "./mailbox";
import { acceptEmail } from "./send";
import { EVENT_TYPES, KEPT_MESSAGES, SesStore, type EventDestination } from "./store";

const API_PREFIX = "/v2/email/";
const ADMIN_PREFIX = "/_sandbox/ses/";
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_PAGE_SIZE = 1000;

type Route = { method: string; pattern: RegExp; run: (params: string[], body: unknown, url: URL) => unknown | Promise<unknown> };

const eventDestinationSchema = z.object({
  Enabled: z.boolean().optional(),
  MatchingEventTypes: z.array(z.string()).optional(),
  SnsDestination: z.object({ TopicArn: z.string().optional() }).optional(),
  KinesisFirehoseDestination: z.unknown().optional(),
  CloudWatchDestination: z.unknown().optional(),
  EventBridgeDestination: z.unknown().optional(),
  PinpointDestination: z.unknown().optional(),
});

/**
 * Amazon SES v2 over its REST-JSON protocol (`/v2/email/…`, SigV4 name `ses`): SendEmail with
 * Simple content into a mailbox, the account's suppression list, configuration sets with SNS event
 * destinations, and the mailbox simulator's bounces and complaints published as SES events.
 * `/_sandbox/ses/mailbox` (HTML), `/_sandbox/ses/messages` and `/_sandbox/ses/events` (JSON) show
 * what was sent. State lives in `<stateDir>/ses.json`.
 */
export async function createSes(ctx: SandboxContext): Promise<SandboxService> {
  const store = new SesStore(path.join(ctx.stateDir, "ses.json"), ctx.log);

  const existingSet = (name: string) => {
    const set = store.configurationSet(name);
    if (!set) throw notFound(`Configuration set ${name} does not exist.`);
    return set;
  };
  const destination = (name: string | undefined, body: z.infer<typeof eventDestinationSchema> | undefined): EventDestination => {
    if (!name || !NAME.test(name)) throw badRequest("Invalid event destination name.");
    if (!body) throw badRequest("EventDestination is required.");
    if (body.KinesisFirehoseDestination || body.CloudWatchDestination || body.EventBridgeDestination || body.PinpointDestination) {
      throw badRequest("The sandbox publishes events to SNS destinations only.");
    }
    const topicArn = body.SnsDestination?.TopicArn;
    if (!topicArn || !/^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topicArn))
      throw badRequest("SnsDestination.TopicArn must be an SNS topic ARN.");
    const types = body.MatchingEventTypes ?? [];
    const unknown = types.find((t) => !(EVENT_TYPES as readonly string[]).includes(t));
    if (types.length === 0 || unknown !== undefined) throw badRequest(`Invalid MatchingEventTypes${unknown ? `: ${unknown}` : ""}.`);
    return { name, enabled: body.Enabled ?? false, matchingEventTypes: types as EventDestination["matchingEventTypes"], snsTopicArn: topicArn };
  };
  const suppressedOrFail = (address: string) => {
    const entry = store.suppression(address);
    if (!entry) throw notFound(`Email address ${address} does not exist on your suppression list.`);
    return entry;
  };
  const epochSeconds = (iso: string) => Date.parse(iso) / 1000;

  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^outbound-emails$/,
      async run(_params, body) {
        const { message, events } = acceptEmail(body, store);
        store.addMessage(message);
        await publishEvents(ctx, store, message, events);
        return { MessageId: message.messageId };
      },
    },
    {
      method: "PUT",
      pattern: /^suppression\/addresses$/,
      run(_params, body) {
        const { EmailAddress, Reason } = z.object({ EmailAddress: z.string().optional(), Reason: z.string().optional() }).parse(body ?? {});
        if (!EmailAddress) throw badRequest("EmailAddress is required.");
        if (Reason !== "BOUNCE" && Reason !== "COMPLAINT") throw badRequest("Reason must be BOUNCE or COMPLAINT.");
        store.suppress({ address: parseMailbox(EmailAddress).address, reason: Reason, lastUpdateTime: new Date().toISOString() });
        return {};
      },
    },
    {
      method: "GET",
      pattern: /^suppression\/addresses$/,
      run(_params, _body, url) {
        const reasons = url.searchParams.getAll("Reason");
        const start = url.searchParams.get("StartDate");
        const end = url.searchParams.get("EndDate");
        const pageSize = Number(url.searchParams.get("PageSize") ?? MAX_PAGE_SIZE);
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw badRequest(`PageSize must be between 1 and ${MAX_PAGE_SIZE}.`);
        const offset = Number(url.searchParams.get("NextToken") ?? 0);
        if (!Number.isInteger(offset) || offset < 0) throw new SesError("InvalidNextTokenException", 400, "The NextToken is invalid.");
        const matching = store
          .listSuppressed()
          .filter((s) => reasons.length === 0 || reasons.includes(s.reason))
          .filter((s) => !start || Date.parse(s.lastUpdateTime) >= Date.parse(start))
          .filter((s) => !end || Date.parse(s.lastUpdateTime) <= Date.parse(end))
          .sort((a, b) => a.address.localeCompare(b.address));
        const page = matching.slice(offset, offset + pageSize);
        return {
          SuppressedDestinationSummaries: page.map((s) => ({ EmailAddress: s.address, Reason: s.reason, LastUpdateTime: epochSeconds(s.lastUpdateTime) })),
          ...(offset + pageSize < matching.length ? { NextToken: String(offset + pageSize) } : {}),
        };
      },
    },
    {
      method: "GET",
      pattern: /^suppression\/addresses\/([^/]+)$/,
      run([address]) {
        const s = suppressedOrFail(address!);
        const attributes = { ...(s.messageId ? { MessageId: s.messageId } : {}), ...(s.feedbackId ? { FeedbackId: s.feedbackId } : {}) };
        return { SuppressedDestination: { EmailAddress: s.address, Reason: s.reason, LastUpdateTime: epochSeconds(s.lastUpdateTime), Attributes: attributes } };
      },
    },
    {
      method: "DELETE",
      pattern: /^suppression\/addresses\/([^/]+)$/,
      run([address]) {
        suppressedOrFail(address!);
        store.unsuppress(address!);
        return {};
      },
    },
    {
      method: "POST",
      pattern: /^configuration-sets$/,
      run(_params, body) {
        const name = z.object({ ConfigurationSetName: z.string().optional() }).parse(body ?? {}).ConfigurationSetName;
        if (!name || !NAME.test(name)) throw badRequest("Invalid configuration set name.");
        if (store.configurationSet(name)) throw alreadyExists(`Configuration set <${name}> already exists.`);
        store.putConfigurationSet({ name, createdAt: new Date().toISOString(), eventDestinations: [] });
        return {};
      },
    },
    {
      method: "GET",
      pattern: /^configuration-sets$/,
      run: () => ({ ConfigurationSets: store.listConfigurationSets().map((s) => s.name) }),
    },
    {
      method: "GET",
      pattern: /^configuration-sets\/([^/]+)$/,
      run: ([name]) => ({ ConfigurationSetName: existingSet(name!).name }),
    },
    {
      method: "DELETE",
      pattern: /^configuration-sets\/([^/]+)$/,
      run([name]) {
        existingSet(name!);
        store.deleteConfigurationSet(name!);
        return {};
      },
    },
    {
      method: "POST",
      pattern: /^configuration-sets\/([^/]+)\/event-destinations$/,
      run([name], body) {
        const set = existingSet(name!);
        const request = z.object({ EventDestinationName: z.string().optional(), EventDestination: eventDestinationSchema.optional() }).parse(body ?? {});
        const created = destination(request.EventDestinationName, request.EventDestination);
        if (set.eventDestinations.some((d) => d.name === created.name)) throw alreadyExists(`Event destination ${created.name} already exists.`);
        store.putConfigurationSet({ ...set, eventDestinations: [...set.eventDestinations, created] });
        return {};
      },
    },
    {
      method: "GET",
      pattern: /^configuration-sets\/([^/]+)\/event-destinations$/,
      run: ([name]) => ({
        EventDestinations: existingSet(name!).eventDestinations.map((d) => ({
          Name: d.name,
          Enabled: d.enabled,
          MatchingEventTypes: d.matchingEventTypes,
          ...(d.snsTopicArn ? { SnsDestination: { TopicArn: d.snsTopicArn } } : {}),
        })),
      }),
    },
    {
      method: "PUT",
      pattern: /^configuration-sets\/([^/]+)\/event-destinations\/([^/]+)$/,
      run([name, destinationName], body) {
        const set = existingSet(name!);
        if (!set.eventDestinations.some((d) => d.name === destinationName)) throw notFound(`Event destination ${destinationName} does not exist.`);
        const updated = destination(destinationName, z.object({ EventDestination: eventDestinationSchema.optional() }).parse(body ?? {}).EventDestination);
        store.putConfigurationSet({ ...set, eventDestinations: set.eventDestinations.map((d) => (d.name === destinationName ? updated : d)) });
        return {};
      },
    },
    {
      method: "DELETE",
      pattern: /^configuration-sets\/([^/]+)\/event-destinations\/([^/]+)$/,
      run([name, destinationName]) {
        const set = existingSet(name!);
        if (!set.eventDestinations.some((d) => d.name === destinationName)) throw notFound(`Event destination ${destinationName} does not exist.`);
        store.putConfigurationSet({ ...set, eventDestinations: set.eventDestinations.filter((d) => d.name !== destinationName) });
        return {};
      },
    },
  ];

  async function handleApi(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const method = req.raw.method ?? "GET";
    const rest = req.url.pathname.slice(API_PREFIX.length);
    let params: string[] | undefined;
    const route = routes.find((r) => r.method === method && (params = matchPath(r.pattern, rest)) !== undefined);
    let raw: Buffer;
    try {
      raw = await readBody(req.raw);
    } catch (error) {
      if (error instanceof PayloadTooLarge) return sendSesError(res, new SesError("MessageRejected", 400, "Message length is more than the allowed size."));
      throw error;
    }
    if (!route || !params)
      return sendSesError(res, new SesError("UnknownOperationException", 404, `The sandbox's SES has no operation for ${method} ${req.url.pathname}.`));
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
    } catch {
      return sendSesError(res, new SesError("SerializationException", 400, "Could not parse the request body as JSON."));
    }
    try {
      sendJson(res, 200, await route.run(params, body, req.url));
    } catch (error) {
      if (error instanceof SesError) return sendSesError(res, error);
      if (error instanceof z.ZodError) return sendSesError(res, badRequest(`Invalid request: ${error.issues[0]?.path.join(".")} ${error.issues[0]?.message}`));
      ctx.log(`ses: ${method} ${req.url.pathname} failed: ${error instanceof Error ? error.message : String(error)}`);
      sendSesError(res, new SesError("InternalServiceErrorException", 500, "Internal error in the sandbox."));
    }
  }

  function handleAdmin(req: EdgeRequest, res: ServerResponse): void {
    req.raw.resume();
    const { pathname, searchParams } = req.url;
    const method = req.raw.method ?? "GET";
    const to = searchParams.get("to") ?? undefined;
    if (pathname === `${ADMIN_PREFIX}messages` && method === "GET") return sendJson(res, 200, { messages: store.listMessages(to) });
    if (pathname === `${ADMIN_PREFIX}messages` && method === "DELETE") {
      store.clearMailbox();
      return sendJson(res, 200, {});
    }
    if (pathname === `${ADMIN_PREFIX}events` && method === "GET") {
      const type = searchParams.get("type")?.toLowerCase();
      return sendJson(res, 200, { events: store.listEvents().filter((ev) => !type || ev.eventType.toLowerCase() === type) });
    }
    if (pathname === `${ADMIN_PREFIX}mailbox` && method === "GET") {
      return sendHtml(res, 200, mailboxPage(store.listMessages(to), { to, kept: KEPT_MESSAGES }), MAILBOX_HEADERS);
    }
    sendJson(res, 404, {
      message: `Unknown sandbox SES endpoint. GET ${ADMIN_PREFIX}mailbox (HTML), GET|DELETE ${ADMIN_PREFIX}messages?to=, GET ${ADMIN_PREFIX}events?type=Bounce`,
    });
  }

  return {
    name: "ses",
    claims: (req) => req.signingName === "ses" || req.url.pathname.startsWith(API_PREFIX) || req.url.pathname.startsWith(ADMIN_PREFIX),
    async handle(req, res) {
      if (req.url.pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(req, res);
      if (!req.url.pathname.startsWith(API_PREFIX)) {
        req.raw.resume();
        return sendSesError(res, new SesError("UnknownOperationException", 404, `The sandbox emulates SES v2 (${API_PREFIX}…) only, not ${req.url.pathname}.`));
      }
      await handleApi(req, res);
    },
    writeFault: (res, kind) =>
      sendSesError(
        res,
        kind === "throttle"
          ? new SesError("TooManyRequestsException", 429, "Too many requests.")
          : new SesError("InternalServiceErrorException", 500, "Internal error (injected by the sandbox)"),
      ),
    close: async () => store.flush(),
  };
}

/** The decoded path parameters when `pattern` matches, else undefined. */
function matchPath(pattern: RegExp, rest: string): string[] | undefined {
  const match = pattern.exec(rest);
  if (!match) return undefined;
  try {
    return match.slice(1).map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}
