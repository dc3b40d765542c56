import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { SandboxContext } from "../context";
import { functionExists, invokeFunction } from "../functions";
import type { Customer } from "./ledger";
import { customerIdentifierSchema, NOTIFICATION_ACTIONS, productCodeSchema, type NotificationAction } from "./notify";
import { LISTENER_FUNCTION } from "./wiring";

/**
 * AWS Marketplace's EventBridge agreement and license events (source `aws.agreement-marketplace`),
 * which is how sellers hear about buyers of new integrations: their ResolveCustomer answer has no
 * CustomerIdentifier, so the SNS messages (which name only that) can't be matched to them. The
 * sandbox plays the rule infra/marketplace.ts puts on the default bus: the event goes straight to
 * `functions/marketplace-listener.ts`.
 */

export const AGREEMENT_SOURCE = "aws.agreement-marketplace";

export const AGREEMENT_DETAIL_TYPES = [
  "Purchase Agreement Created - Manufacturer",
  "Purchase Agreement Amended - Manufacturer",
  "Purchase Agreement Ended - Manufacturer",
  "License Updated - Manufacturer",
  "License Deprovisioned - Manufacturer",
] as const;
export type AgreementDetailType = (typeof AGREEMENT_DETAIL_TYPES)[number];

/** The event that stands for an SNS action; subscribe-fail and unsubscribe-pending have none. */
const FOR_ACTION: Partial<Record<NotificationAction, AgreementDetailType>> = {
  "subscribe-success": "Purchase Agreement Created - Manufacturer",
  "unsubscribe-success": "Purchase Agreement Ended - Manufacturer",
  "unsubscribe-complete": "Purchase Agreement Ended - Manufacturer",
  "entitlement-updated": "License Updated - Manufacturer",
};

/** Short labels for the buyer page's buttons. */
export const AGREEMENT_LABELS: Record<AgreementDetailType, string> = {
  "Purchase Agreement Created - Manufacturer": "Agreement created",
  "Purchase Agreement Amended - Manufacturer": "Agreement amended",
  "Purchase Agreement Ended - Manufacturer": "Agreement ended",
  "License Updated - Manufacturer": "License updated",
  "License Deprovisioned - Manufacturer": "License deprovisioned",
};

export const accountIdSchema = z.string().regex(/^\d{12}$/, "An AWS account id is 12 digits");

/** `POST /_sandbox/marketplace/notify` with `"via": "eventbridge"`: the buyer by identifier or account. */
export const agreementNotifySchema = z
  .object({
    via: z.literal("eventbridge"),
    productCode: productCodeSchema,
    customerIdentifier: customerIdentifierSchema.optional(),
    customerAWSAccountId: accountIdSchema.optional(),
    action: z.enum(NOTIFICATION_ACTIONS).optional(),
    detailType: z.enum(AGREEMENT_DETAIL_TYPES).optional(),
  })
  .refine((input) => input.customerIdentifier || input.customerAWSAccountId, {
    message: "Name the buyer: customerIdentifier (of a sandbox customer) or customerAWSAccountId",
    path: ["customerAWSAccountId"],
  })
  .refine((input) => input.detailType || input.action, { message: "Give detailType, or an action that has an EventBridge event", path: ["detailType"] })
  .refine((input) => input.detailType || (input.action && FOR_ACTION[input.action]), {
    message: `That action has no EventBridge event; those that do: ${Object.keys(FOR_ACTION).join(", ")}`,
    path: ["action"],
  });
export type AgreementNotifyInput = z.infer<typeof agreementNotifySchema>;

export function detailTypeOf(input: Pick<AgreementNotifyInput, "action" | "detailType">): AgreementDetailType {
  return input.detailType ?? FOR_ACTION[input.action!]!;
}

export interface AgreementBuyer {
  productCode: string;
  customerAWSAccountId: string;
  customer?: Customer;
}

/** The event as EventBridge hands it to a Lambda target (time with milliseconds, so quick rehearsals keep their order). */
export function agreementEvent(ctx: Pick<SandboxContext, "accountId" | "region">, detailType: AgreementDetailType, buyer: AgreementBuyer) {
  // One agreement per purchase (its license): "Ended" names the agreement "Created" announced.
  const purchase = buyer.customer?.licenseArn ?? `${buyer.customerAWSAccountId}:${buyer.productCode}`;
  const agreementId = `agmt-${createHash("sha256").update(purchase).digest("hex").slice(0, 26)}`;
  const ended = detailType === "Purchase Agreement Ended - Manufacturer" || detailType === "License Deprovisioned - Manufacturer";
  const now = new Date().toISOString();
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": detailType,
    source: AGREEMENT_SOURCE,
    account: ctx.accountId,
    time: now,
    region: ctx.region,
    resources: [`arn:aws:aws-marketplace:${ctx.region}:${ctx.accountId}:AWSMarketplace/Agreement/${agreementId}`],
    detail: {
      requestId: randomUUID(),
      agreement: {
        id: agreementId,
        status: ended ? "TERMINATED" : "ACTIVE",
        acceptor: { accountId: buyer.customerAWSAccountId },
        proposer: { accountId: ctx.accountId },
        ...(buyer.customer ? { offer: { id: buyer.customer.offerIdentifier } } : {}),
        acceptanceTime: buyer.customer?.createdAt ?? now,
      },
      product: { id: `prod-${buyer.productCode}`, code: buyer.productCode },
      ...(buyer.customer
        ? { license: { arn: buyer.customer.licenseArn, beneficiary: { accountId: buyer.customerAWSAccountId }, productCode: buyer.productCode } }
        : {}),
    },
  };
}

export interface AgreementDelivery {
  eventId: string;
  detailType: AgreementDetailType;
  /** 1 when the listener received it, 0 when there is no `functions/marketplace-listener.ts`. */
  delivered: number;
  /** What the listener returned. */
  result?: unknown;
}

const LISTENER_TIMEOUT_MS = 30_000;

/** Puts the event on the "default bus": the listener gets it now, and its answer (or error) comes back. */
export async function sendAgreementEvent(ctx: SandboxContext, detailType: AgreementDetailType, buyer: AgreementBuyer): Promise<AgreementDelivery> {
  const event = agreementEvent(ctx, detailType, buyer);
  if (!functionExists(ctx, LISTENER_FUNCTION)) return { eventId: event.id, detailType, delivered: 0 };
  const result = await invokeFunction(ctx, LISTENER_FUNCTION, event, { timeoutMs: LISTENER_TIMEOUT_MS });
  return { eventId: event.id, detailType, delivered: 1, result };
}
