import type { ResolvedCustomer } from "../metering";

/**
 * A buyer as AWS Marketplace identifies them. Older integrations (and every SNS message) use
 * `customerIdentifier`; new ones get the buyer's account id and license instead, and their
 * EventBridge agreement events name the account. Portico keeps one row per identity it knows
 * (lib/db/customers.ts), keyed by these:
 *
 *   cid:<customerIdentifier>
 *   acct:<accountId>:<productCode>
 */
export type MarketplaceCustomer = ResolvedCustomer;

export const cidKey = (customerIdentifier: string) => `cid:${customerIdentifier}`;
export const accountKey = (accountId: string, productCode: string) => `acct:${accountId}:${productCode}`;

/** Every identity a resolved buyer is known by, the most specific first. */
export function customerKeys(customer: MarketplaceCustomer): string[] {
  return [
    ...(customer.customerIdentifier ? [cidKey(customer.customerIdentifier)] : []),
    ...(customer.customerAWSAccountId ? [accountKey(customer.customerAWSAccountId, customer.productCode)] : []),
  ];
}

/** What API Gateway meters against: the key's `customerId`. */
export const meteringId = (customer: MarketplaceCustomer) => customer.customerIdentifier ?? customer.customerAWSAccountId!;
