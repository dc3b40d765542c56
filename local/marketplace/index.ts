import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { z } from "zod";
import type { SandboxContext } from "../context";
import { readBody, sendAwsJsonError, sendHtml, sendJson } from "../http";
import type { EdgeRequest, SandboxService } from "../service";
import { accountIdSchema, AGREEMENT_DETAIL_TYPES, agreementNotifySchema, detailTypeOf, sendAgreementEvent, type AgreementNotifyInput } from "./agreements";
import { DEFAULT_FULFILLMENT_URL, pageHeaders, renderBuyerPage, renderErrorPage, renderHandOffPage, type BuyerPageInput } from "./buyer-page";
import { Ledger, type TokenRecord } from "./ledger";
import { NOTIFICATION_ACTIONS, Notifier, notifySchema, productCodeSchema, topicNameFor, type NotifyInput } from "./notify";

const TARGET_PREFIX = "AWSMPMeteringService.";
const JSON_11 = "application/x-amz-json-1.1";

const mintSchema = z.object({
  productCode: productCodeSchema,
  customerAWSAccountId: accountIdSchema.optional(),
  legacy: z.boolean().default(false),
  freeTrial: z.boolean().default(false),
  /** Backdates the token, e.g. to rehearse ExpiredTokenException. */
  issuedAt: z.iso
    .datetime({ offset: true })
    .refine((value) => Date.parse(value) <= Date.now(), "issuedAt cannot be in the future")
    .optional(),
});

const purchaseFormSchema = z.object({
  productCode: productCodeSchema,
  customerAWSAccountId: z.union([z.literal(""), accountIdSchema]).optional(),
  fulfillmentUrl: z.url({ protocol: /^https?$/, error: "The fulfillment URL must be an http(s) URL" }),
  identifiers: z.enum(["new", "legacy"]).default("new"),
  freeTrial: z.literal("on").optional(),
});

const noticeSchema = z.object({
  notified: z.enum(NOTIFICATION_ACTIONS),
  messageId: z.uuid(),
  delivered: z.coerce.number().int().min(0),
});
const agreementNoticeSchema = z.object({
  via: z.literal("eventbridge"),
  detailType: z.enum(AGREEMENT_DETAIL_TYPES),
  eventId: z.uuid(),
  delivered: z.coerce.number().int().min(0),
  /** What the listener made of it (its `outcomes`), e.g. applied, recorded, duplicate. */
  outcome: z
    .string()
    .regex(/^[a-z-]{1,32}$/)
    .optional(),
});

/** Not found in the ledger, or the listener failed: an error for the caller, not a crash. */
class NotifyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * AWS Marketplace for the sandbox: ResolveCustomer (AWS JSON 1.1) for tokens minted by the buyer
 * page at `/buyer`, plus `/_sandbox/marketplace/{tokens,customers,notify}` for tests and scripts.
 */
export async function createMarketplace(ctx: SandboxContext): Promise<SandboxService> {
  const ledger = new Ledger(path.join(ctx.stateDir, "marketplace.json"), ctx.log);
  const notifier = new Notifier(ctx);
  // The portal this sandbox was started with (any port), else the default one.
  const defaultFulfillmentUrl = ctx.portalUrl ? `${ctx.portalUrl.replace(/\/$/, "")}/marketplace/confirm` : DEFAULT_FULFILLMENT_URL;

  function resolveCustomer(token: string, res: ServerResponse): void {
    const resolution = ledger.resolve(token);
    if (resolution.status === "invalid") return sendAwsJsonError(res, 400, "InvalidTokenException", "Registration token is invalid");
    if (resolution.status === "expired") return sendAwsJsonError(res, 400, "ExpiredTokenException", "Registration token has expired");
    sendJson(res, 200, resolveCustomerResult(resolution.record), { "content-type": JSON_11 });
  }

  async function api(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const body = await readJson(req.raw);
    if (req.raw.method !== "POST" || req.target !== `${TARGET_PREFIX}ResolveCustomer`) {
      // Also what Entitlement Service calls (they share the aws-marketplace signing name) receive.
      return sendAwsJsonError(
        res,
        400,
        "UnknownOperationException",
        `The sandbox does not emulate ${req.target ?? "this request"}; it answers ResolveCustomer.`,
      );
    }
    const parsed = z.object({ RegistrationToken: z.string().optional() }).safeParse(body);
    if (!parsed.success) return sendAwsJsonError(res, 400, "SerializationException", "Request body is not a ResolveCustomer JSON document");
    if (!parsed.data.RegistrationToken) return sendAwsJsonError(res, 400, "InvalidTokenException", "Registration token is required");
    resolveCustomer(parsed.data.RegistrationToken, res);
  }

  async function publish(input: NotifyInput) {
    return notifier.publish(input, ledger.findCustomer(input.productCode, input.customerIdentifier));
  }

  /** The EventBridge route: agreement events name the buyer's account, which the ledger knows. */
  async function sendAgreement(input: AgreementNotifyInput) {
    const customer = input.customerIdentifier
      ? ledger.findCustomer(input.productCode, input.customerIdentifier)
      : ledger.findByAccount(input.productCode, input.customerAWSAccountId!);
    if (input.customerIdentifier && !customer)
      throw new NotifyError(404, `No sandbox customer ${input.customerIdentifier} for product ${input.productCode}; give customerAWSAccountId instead`);
    const accountId = customer?.customerAWSAccountId ?? input.customerAWSAccountId!;
    try {
      return await sendAgreementEvent(ctx, detailTypeOf(input), {
        productCode: input.productCode,
        customerAWSAccountId: accountId,
        ...(customer ? { customer } : {}),
      });
    } catch (error) {
      throw new NotifyError(502, `The listener failed on the event: ${errorMessage(error)}`);
    }
  }

  async function admin(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const route = `${req.raw.method} ${req.url.pathname}`;
    if (route === "GET /_sandbox/marketplace/customers") return sendJson(res, 200, { customers: ledger.listCustomers() });
    if (route === "POST /_sandbox/marketplace/tokens") {
      const parsed = mintSchema.safeParse(await readJson(req.raw));
      if (!parsed.success) return sendJson(res, 400, { message: z.prettifyError(parsed.error) });
      const { issuedAt, ...input } = parsed.data;
      const { token, customer } = ledger.mint({ ...input, issuedAt: issuedAt ? new Date(issuedAt) : undefined });
      const { customerIdentifier, customerAWSAccountId, licenseArn, productCode, offerIdentifier } = customer;
      return sendJson(res, 200, { token, customerIdentifier, customerAWSAccountId, licenseArn, productCode, offerIdentifier }, { "cache-control": "no-store" });
    }
    if (route === "POST /_sandbox/marketplace/notify") {
      const body = await readJson(req.raw);
      if (viaEventBridge(body)) {
        const parsed = agreementNotifySchema.safeParse(body);
        if (!parsed.success) return sendJson(res, 400, { message: z.prettifyError(parsed.error) });
        try {
          return sendJson(res, 200, await sendAgreement(parsed.data));
        } catch (error) {
          return sendJson(res, error instanceof NotifyError ? error.status : 500, { message: errorMessage(error) });
        }
      }
      const parsed = notifySchema.safeParse(body);
      if (!parsed.success) return sendJson(res, 400, { message: z.prettifyError(parsed.error) });
      try {
        return sendJson(res, 200, await publish(parsed.data));
      } catch (error) {
        return sendJson(res, 502, { message: `Publishing to the sandbox SNS failed: ${errorMessage(error)}` });
      }
    }
    req.raw.resume();
    sendJson(res, 404, { message: "Use POST /_sandbox/marketplace/tokens, POST /_sandbox/marketplace/notify or GET /_sandbox/marketplace/customers" });
  }

  async function buyer(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const route = `${req.raw.method} ${req.url.pathname}`;
    if (route === "GET /buyer" || route === "GET /buyer/") return sendHtml(res, 200, buyerPage(req.url), pageHeaders());
    if (route !== "POST /buyer/purchase" && route !== "POST /buyer/notify") {
      req.raw.resume();
      return sendHtml(res, 404, renderErrorPage("Not found", "The buyer page is at /buyer."), pageHeaders());
    }
    const form = await readForm(req.raw);
    if (!sameOrigin(req.raw)) return sendHtml(res, 403, renderErrorPage("Forbidden", "Cross-site form posts are refused."), pageHeaders());

    if (route === "POST /buyer/purchase") {
      const parsed = purchaseFormSchema.safeParse(form);
      if (!parsed.success) return sendHtml(res, 400, renderErrorPage("Check the purchase form", firstIssue(parsed.error)), pageHeaders());
      const { productCode, customerAWSAccountId, fulfillmentUrl, identifiers, freeTrial } = parsed.data;
      const { token, customer } = ledger.mint({
        productCode,
        customerAWSAccountId: customerAWSAccountId || undefined,
        legacy: identifiers === "legacy",
        freeTrial: freeTrial === "on",
      });
      return sendHtml(res, 200, renderHandOffPage({ fulfillmentUrl, token, freeTrial: freeTrial === "on", customer }), pageHeaders(true));
    }

    let query: URLSearchParams;
    if (viaEventBridge(form)) {
      const parsed = agreementNotifySchema.safeParse({
        via: form.via,
        productCode: form.productCode,
        customerIdentifier: form.customerIdentifier,
        detailType: form.detailType,
      });
      if (!parsed.success) return sendHtml(res, 400, renderErrorPage("Check the event", firstIssue(parsed.error)), pageHeaders());
      try {
        const { eventId, detailType, delivered, result } = await sendAgreement(parsed.data);
        const outcome = (result as { outcomes?: unknown[] } | undefined)?.outcomes?.[0];
        query = new URLSearchParams({ productCode: parsed.data.productCode, via: "eventbridge", detailType, eventId, delivered: String(delivered) });
        if (typeof outcome === "string") query.set("outcome", outcome);
      } catch (error) {
        const status = error instanceof NotifyError ? error.status : 500;
        return sendHtml(res, status, renderErrorPage("Sending the event failed", errorMessage(error)), pageHeaders());
      }
    } else {
      const parsed = notifySchema.pick({ action: true, productCode: true, customerIdentifier: true }).safeParse(form);
      if (!parsed.success) return sendHtml(res, 400, renderErrorPage("Check the notification", firstIssue(parsed.error)), pageHeaders());
      try {
        const { messageId, delivered } = await publish(parsed.data);
        query = new URLSearchParams({ productCode: parsed.data.productCode, notified: parsed.data.action, messageId, delivered: String(delivered) });
      } catch (error) {
        return sendHtml(res, 502, renderErrorPage("Publishing failed", `The sandbox SNS did not accept the message: ${errorMessage(error)}`), pageHeaders());
      }
    }
    // Keep the owner's fulfillment URL on the page they return to.
    const fulfillmentUrl = purchaseFormSchema.shape.fulfillmentUrl.safeParse(form.fulfillmentUrl);
    if (fulfillmentUrl.success && fulfillmentUrl.data !== defaultFulfillmentUrl) query.set("fulfillmentUrl", fulfillmentUrl.data);
    // Post/redirect/get, so reloading the page does not publish again.
    res.writeHead(303, { location: `/buyer?${query}`, "content-length": 0 });
    res.end();
  }

  function buyerPage(url: URL): string {
    const productCode = (url.searchParams.get("productCode") ?? "").slice(0, 128);
    const params = Object.fromEntries(url.searchParams);
    let notice: BuyerPageInput["notice"];
    if (productCodeSchema.safeParse(productCode).success) {
      const sns = noticeSchema.safeParse(params);
      const agreement = agreementNoticeSchema.safeParse(params);
      if (sns.success) {
        const { notified: action, messageId, delivered } = sns.data;
        notice = { via: "sns", action, messageId, delivered, topicName: topicNameFor(action, productCode) };
      } else if (agreement.success) {
        notice = agreement.data;
      }
    }
    return renderBuyerPage({
      productCode,
      fulfillmentUrl: (url.searchParams.get("fulfillmentUrl") ?? defaultFulfillmentUrl).slice(0, 2048),
      customers: ledger.listCustomers(),
      notice,
    });
  }

  return {
    name: "aws-marketplace",
    claims: (req) =>
      req.target?.startsWith(TARGET_PREFIX) === true ||
      req.signingName === "aws-marketplace" ||
      req.url.pathname === "/buyer" ||
      req.url.pathname.startsWith("/buyer/") ||
      req.url.pathname.startsWith("/_sandbox/marketplace/"),
    async handle(req, res) {
      const { pathname } = req.url;
      if (pathname.startsWith("/_sandbox/marketplace/")) return admin(req, res);
      if (req.target === undefined && req.signingName !== "aws-marketplace") return buyer(req, res);
      return api(req, res);
    },
    writeFault: (res, kind) =>
      kind === "throttle"
        ? sendAwsJsonError(res, 400, "ThrottlingException", "Rate exceeded")
        : sendAwsJsonError(res, 500, "InternalServiceErrorException", "Internal service error (injected by the sandbox)"),
    close: async () => notifier.close(),
  };
}

/** New integrations get no CustomerIdentifier (AWS leaves it unset); legacy ones get all four fields. */
function resolveCustomerResult(record: TokenRecord) {
  return {
    ...(record.legacy ? { CustomerIdentifier: record.customerIdentifier } : {}),
    CustomerAWSAccountId: record.customerAWSAccountId,
    ProductCode: record.productCode,
    LicenseArn: record.licenseArn,
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  return safeJson((await readBody(req)).toString("utf8"));
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams((await readBody(req)).toString("utf8")));
}

/** Browsers send Origin on form POSTs; refuse posts made from another site's page. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function viaEventBridge(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { via?: unknown }).via === "eventbridge";
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "form"}: ${issue.message}` : "Invalid input";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
