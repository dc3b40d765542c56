import { conditionally, getItem, isConditionFailure, updateItem } from "./items";
import { customerRowKey } from "./keys";

/**
 * AWS Marketplace buyers, one row per identity the portal knows them by (lib/marketplace/customers.ts
 * customerKeys), holding the latest lifecycle status AWS reported (with its time, so late or replayed
 * events can't undo newer ones) and, once the buyer has registered, the portal user it is bound to.
 */

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

export function readCustomer(identity: string): Promise<CustomerRow | undefined> {
  return getItem<CustomerRow>(customerRowKey(identity));
}

/** Binds an identity to a user unless another user holds it. Returns false when someone else does. */
export function bindCustomer(identity: string, binding: { userId: string; productCode: string; planId: string }): Promise<boolean> {
  return conditionally(
    updateItem(
      customerRowKey(identity),
      {
        expression: "SET userId = :user, productCode = :product, planId = :plan",
        values: { ":user": binding.userId, ":product": binding.productCode, ":plan": binding.planId },
      },
      { condition: { expression: "attribute_not_exists(userId) OR userId = :user" } },
    ),
  );
}

/** Frees an identity the user holds (a no-op when they don't). */
export async function unbindCustomer(identity: string, userId: string): Promise<void> {
  await conditionally(
    updateItem(customerRowKey(identity), { expression: "REMOVE userId, planId" }, { condition: { expression: "userId = :user", values: { ":user": userId } } }),
  );
}

/**
 * Records a lifecycle status if it is newer than what the row holds. Returns the row after the
 * write, or undefined when the event is older than the latest one applied (out-of-order delivery).
 *
 * Agreement events (EventBridge) name their agreement and carry whole-second times: a renewal's
 * "Ended" (old agreement) and "Created" (new one) can share a second and arrive in either order.
 * So an ending applies only to the agreement the buyer holds, and a new agreement wins a tie.
 */
export async function recordStatus(
  identity: string,
  productCode: string,
  status: MarketplaceStatus,
  at: string,
  agreementId?: string,
): Promise<CustomerRow | undefined> {
  const ending = status === "unsubscribed" || status === "failed";
  const newer = "(attribute_not_exists(lastEventAt) OR lastEventAt < :at)";
  const condition = !agreementId
    ? newer
    : ending
      ? `${newer} AND (attribute_not_exists(agreementId) OR agreementId = :agreement)`
      : `(${newer} OR (lastEventAt = :at AND agreementId <> :agreement))`;
  try {
    return await updateItem<CustomerRow>(
      customerRowKey(identity),
      {
        expression: `SET #status = :status, lastEventAt = :at, productCode = if_not_exists(productCode, :product)${agreementId ? ", agreementId = :agreement" : ""}`,
        names: { "#status": "status" },
        values: { ":status": status, ":at": at, ":product": productCode, ...(agreementId ? { ":agreement": agreementId } : {}) },
      },
      { condition: { expression: condition }, returnNew: true },
    );
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
