import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client";
import { tableName } from "../db/table";

/**
 * A buyer as AWS Marketplace identifies them. Older integrations (and every SNS message) use
 * `customerIdentifier`; new ones get the buyer's account id and license instead, and their
 * EventBridge agreement events name the account. Portico keeps one row per identity it knows:
 *
 *   MPCUSTOMER#cid:<customerIdentifier>             / CUSTOMER
 *   MPCUSTOMER#acct:<accountId>:<productCode>       / CUSTOMER
 *
 * holding the latest lifecycle status AWS reported (with its time, so late or replayed events
 * can't undo newer ones) and, once the buyer has registered, the portal user it is bound to.
 */
export interface MarketplaceCustomer {
  productCode: string;
  customerIdentifier?: string;
  customerAWSAccountId?: string;
  licenseArn?: string;
}

export type MarketplaceStatus = "subscribed" | "failed" | "unsubscribe-pending" | "unsubscribed";

export interface CustomerRow {
  pk: string;
  sk: "CUSTOMER";
  productCode?: string;
  userId?: string;
  planId?: string;
  status?: MarketplaceStatus;
  /** ISO time of the newest event applied. */
  lastEventAt?: string;
  /** The AWS Marketplace agreement the status belongs to (EventBridge events name it). */
  agreementId?: string;
}

export const customerPk = (customerKey: string) => `MPCUSTOMER#${customerKey}`;
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

export async function readCustomer(customerKey: string): Promise<CustomerRow | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: { pk: customerPk(customerKey), sk: "CUSTOMER" } }));
  return Item as CustomerRow | undefined;
}

/** Binds an identity to a user unless another user holds it. Returns false when someone else does. */
export async function bindCustomer(customerKey: string, binding: { userId: string; productCode: string; planId: string }): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: customerPk(customerKey), sk: "CUSTOMER" },
        UpdateExpression: "SET userId = :user, productCode = :product, planId = :plan",
        ConditionExpression: "attribute_not_exists(userId) OR userId = :user",
        ExpressionAttributeValues: { ":user": binding.userId, ":product": binding.productCode, ":plan": binding.planId },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

export async function unbindCustomer(customerKey: string, userId: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: customerPk(customerKey), sk: "CUSTOMER" },
        UpdateExpression: "REMOVE userId, planId",
        ConditionExpression: "userId = :user",
        ExpressionAttributeValues: { ":user": userId },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
}

/**
 * Records a lifecycle status if it is newer than what the row holds. Returns the row after the
 * write, or undefined when the event is older than the latest one applied (out-of-order delivery).
 *
 * Agreement events (EventBridge) name their agreement and carry whole-second times: a renewal's
 * "Ended" (old agreement) and "Created" (new one) can share a second and arrive in either order.
 * So an ending applies only to the agreement the buyer holds, and a new agreement wins a tie.
 */
export async function recordStatus(customerKey: string, productCode: string, status: MarketplaceStatus, at: string, agreementId?: string): Promise<CustomerRow | undefined> {
  const ending = status === "unsubscribed" || status === "failed";
  const newer = "(attribute_not_exists(lastEventAt) OR lastEventAt < :at)";
  const condition = !agreementId
    ? newer
    : ending
      ? `${newer} AND (attribute_not_exists(agreementId) OR agreementId = :agreement)`
      : `(${newer} OR (lastEventAt = :at AND agreementId <> :agreement))`;
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: customerPk(customerKey), sk: "CUSTOMER" },
        UpdateExpression: `SET #status = :status, lastEventAt = :at, productCode = if_not_exists(productCode, :product)${agreementId ? ", agreementId = :agreement" : ""}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":status": status, ":at": at, ":product": productCode, ...(agreementId ? { ":agreement": agreementId } : {}) },
        ReturnValues: "ALL_NEW",
      }),
    );
    return Attributes as CustomerRow;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return undefined;
    throw error;
  }
}
