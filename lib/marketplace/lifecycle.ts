import { issueKey, type AccessUser } from "../access/keys";
import { changeAccess } from "../access/profile";
import { auditSubject, deleteKeyRow, isClosedMarketplace, readUserAccess, subscriptionView, undo, type UserAccess } from "../access/rows";
import type { SubscriptionView } from "../access/types";
import { keepUsage } from "../access/usage";
import { addKeyToPlan, deleteApiKey, removeKeyFromPlan } from "../apigateway";
import { recordAudit } from "../audit";
import type { MarketplaceProduct } from "../catalog/types";
import { bindCustomer, readCustomer, unbindCustomer, type CustomerRow, type MarketplaceStatus } from "../db/customers";
import { putItem, rowAbsent } from "../db/items";
import { subSk, userPk } from "../db/keys";
import type { SubscriptionRow } from "../db/rows";
import { AppError } from "../errors";
import { customerKeys, meteringId } from "./customers";
import { LANDING_MESSAGES, type Landing } from "./landing";

const UNSUBSCRIBE_PENDING_NOTICE = "Cancellation is pending in AWS Marketplace: the key stops working when it completes.";
const FAILED_NOTICE = "AWS Marketplace couldn't complete the purchase. Check the subscription in AWS Marketplace.";

/** What the user's subscription looks like for a status AWS reported (none yet: waiting for AWS). */
function stateFor(status: MarketplaceStatus | undefined): Pick<SubscriptionRow, "state" | "notice"> {
  switch (status) {
    case "subscribed":
      return { state: "active", notice: undefined };
    case "unsubscribe-pending":
      return { state: "active", notice: UNSUBSCRIBE_PENDING_NOTICE };
    case "failed":
      return { state: "failed", notice: FAILED_NOTICE };
    case "unsubscribed":
      return { state: "ended", notice: undefined };
    default:
      return { state: "awaiting", notice: undefined };
  }
}

/**
 * The status that decides a subscription: the newest among the buyer's identities. On activation
 * (`landedAt` given) an ending reported before the buyer landed belonged to an earlier purchase:
 * this one waits for its own confirmation instead.
 */
function currentStatus(rows: (CustomerRow | undefined)[], landedAt?: string): MarketplaceStatus | undefined {
  const newest = rows.filter((r): r is CustomerRow => !!r?.lastEventAt).sort((a, b) => b.lastEventAt!.localeCompare(a.lastEventAt!))[0];
  if (!newest) return undefined;
  const endedEarlier = landedAt !== undefined && (newest.status === "unsubscribed" || newest.status === "failed") && newest.lastEventAt! < landedAt;
  return endedEarlier ? undefined : newest.status;
}

/**
 * Brings one user's marketplace subscription in line with what AWS last reported for its buyer
 * (re-read here, under the user's lease, so concurrent and redelivered events converge on the
 * newest; an event that is no longer the newest leaves it to the newer one's delivery): the bound
 * key joins the plan when it becomes active and leaves it when it stops — one call per key and
 * effective change; nothing when the state already matches.
 */
export async function applyStatusToUser(userId: string, planId: string, eventAt?: string): Promise<"changed" | "unchanged" | "superseded" | "no-subscription"> {
  return changeAccess(
    userId,
    "marketplace-event",
    async () => {
      const access = await readUserAccess(userId);
      const sub = access.subscriptions.find((s) => s.planId === planId && s.source === "marketplace");
      if (!sub) return "no-subscription";
      const rows = await Promise.all((sub.customerKeys ?? []).map(readCustomer));
      // A newer event arrived while this one waited for the lease: its own delivery applies it.
      if (eventAt && rows.some((r) => (r?.lastEventAt ?? "") > eventAt)) return "superseded";
      const status = currentStatus(rows);
      const next = stateFor(status);
      if (next.state === sub.state && next.notice === sub.notice) return "unchanged";
      const bound = access.keys.filter((k) => k.boundPlanId === planId);
      const wasActive = sub.state === "active";
      const isActive = next.state === "active";
      for (const key of bound) {
        if (isActive && !wasActive) await addKeyToPlan(planId, key.keyId);
        if (!isActive && wasActive) {
          // What the buyer used stays in their history after the key leaves the plan.
          await keepUsage(userId, [key], [planId]);
          await removeKeyFromPlan(planId, key.keyId);
        }
      }
      await putItem({ ...sub, ...next });
      await recordAudit({
        type: `marketplace.${next.state}`,
        subject: auditSubject(userId, access, sub.email),
        target: planId,
        before: { state: sub.state },
        after: { state: next.state, ...(status ? { status } : {}) },
        ...marketplaceNotice(sub, next.state, status),
      });
      return "changed";
    },
    { changed: (outcome) => outcome === "changed" },
  );
}

/** What the buyer is told when a purchase starts or stops working (nothing for the steps between). */
function marketplaceNotice(before: Pick<SubscriptionRow, "planId" | "productName" | "state">, after: SubscriptionRow["state"], status?: string) {
  const plan = { planId: before.planId, productName: before.productName };
  if (after === "active" && before.state !== "active") return { notice: { type: "marketplace.confirmed" as const, data: plan } };
  if ((after === "ended" || after === "failed") && before.state === "active")
    return { notice: { type: "marketplace.ended" as const, data: { ...plan, ...(status ? { reason: status } : {}) } } };
  return {};
}

/** activatePurchase's refusals, worded for a purchase activated for a team (the buyer is one of its owners or admins). */
const TEAM_MESSAGES: Pick<typeof LANDING_MESSAGES, "held" | "duplicate"> = {
  held: "The team already has this plan through the portal. Activating the AWS Marketplace purchase for it would take the team's keys off the plan, so nothing was changed: unsubscribe the team from it on the team's page first, or activate the purchase for yourself.",
  duplicate:
    "The team already has this plan through another AWS Marketplace purchase, so nothing was changed. Cancel the purchase you don't need in AWS Marketplace, or activate this one for yourself.",
};

/** A plan the user holds through the portal, with keys in it: a purchase never takes it over. */
const heldThroughPortal = (access: UserAccess, planId: string) =>
  access.subscriptions.some((s) => s.planId === planId && s.source !== "marketplace" && s.state === "active");

/**
 * The buyer, signed in, activates what they bought: their marketplace identity is bound to them
 * (unless another user holds it), a key metered to them is created for the plan, and whatever AWS
 * has already reported (events can arrive before registration) decides whether it works yet.
 * A plan they already hold through the portal is refused (409), never taken over: its keys stay.
 * `user` may be a team (lib/teams spaceFor's owner, run inside its `act`): then the team is the
 * buyer here — bound, keyed and subscribed in its partition — and later events apply to it.
 */
export async function activatePurchase(user: AccessUser, landing: Landing, product: MarketplaceProduct | undefined): Promise<SubscriptionView> {
  if (!product) throw new AppError("not_found", LANDING_MESSAGES["no-plan"]);
  const says = user.team ? TEAM_MESSAGES : LANDING_MESSAGES;
  if (heldThroughPortal(await readUserAccess(user.id), product.planId)) throw new AppError("conflict", says.held);
  const identities = customerKeys(landing);
  // The identities this call binds (not those the owner already held): what a refusal before the work below gives back.
  const bound: string[] = [];
  for (const key of identities) {
    const ours = (await readCustomer(key))?.userId === user.id;
    if (await bindCustomer(key, { userId: user.id, productCode: landing.productCode, planId: product.planId })) {
      if (!ours) bound.push(key);
    } else {
      for (const done of bound) await unbindCustomer(done, user.id);
      throw new AppError("conflict", LANDING_MESSAGES.taken);
    }
  }

  let started = false;
  return changeAccess(user.id, "marketplace-activate", async () => {
    started = true;
    const access = await readUserAccess(user.id);
    // The account (or team) was deleted while this waited for the lease: the purchase stays free to register again.
    if (access.profile?.status === "deleted") {
      for (const done of identities) await unbindCustomer(done, user.id);
      throw new AppError("not_found", user.team ? "This team has been deleted." : "This account has been deleted.");
    }
    const existing = access.subscriptions.find((s) => s.planId === product.planId);
    if (existing?.source === "marketplace" && existing.state !== "ended" && existing.state !== "failed") {
      // The same purchase again (a second tab, a double click): what it already made.
      if (identities.some((key) => existing.customerKeys?.includes(key))) return subscriptionView(existing);
      // Another purchase of a plan a live one already holds: its events would apply to nothing here.
      for (const done of identities) await unbindCustomer(done, user.id);
      throw new AppError("conflict", says.duplicate);
    }
    // Subscribed through the portal while this waited for the lease: refused as above, the purchase left free.
    if (heldThroughPortal(access, product.planId)) {
      for (const done of identities) await unbindCustomer(done, user.id);
      throw new AppError("conflict", says.held);
    }

    // Bought again after an earlier purchase ended: that purchase's metered keys go first.
    if (existing && isClosedMarketplace(existing)) {
      for (const old of access.keys.filter((k) => k.boundPlanId === product.planId)) {
        await deleteApiKey(old.keyId);
        await deleteKeyRow(user.id, old.keyId);
      }
    }
    const next = stateFor(currentStatus(await Promise.all(identities.map(readCustomer)), landing.landedAt));
    const { row: key } = await issueKey(user, `${product.productName} Marketplace`.slice(0, 64), next.state === "active" ? [product.planId] : [], {
      tags: { "portico:marketplace-product": landing.productCode },
      bound: { planId: product.planId, customerId: meteringId(landing) },
      // A disabled account's keys are all disabled: this one too, until an admin enables the account.
      ...(access.profile?.status === "disabled" ? { enabled: false } : {}),
    });
    try {
      const sub: SubscriptionRow = {
        pk: userPk(user.id),
        sk: subSk(product.planId),
        userId: user.id,
        planId: product.planId,
        productSlug: product.productSlug,
        productName: product.productName,
        state: next.state,
        ...(next.notice ? { notice: next.notice } : {}),
        source: "marketplace",
        customerKeys: identities,
        createdAt: new Date().toISOString(),
        ...(user.email ? { email: user.email } : {}),
      };
      await putItem(key, rowAbsent);
      await putItem(sub);
      await recordAudit({
        type: "marketplace.activated",
        subject: auditSubject(user.id, access, user.email),
        target: product.planId,
        after: { state: sub.state, productCode: landing.productCode, keyId: key.keyId },
        ...marketplaceNotice({ ...sub, state: "awaiting" }, sub.state),
      });
      return subscriptionView(sub);
    } catch (error) {
      await undo([() => deleteApiKey(key.keyId), () => deleteKeyRow(user.id, key.keyId)]);
      throw error;
    }
  }).catch(async (error: unknown) => {
    // Refused under the lease before the work began (a team member whose role no longer allows it,
    // lib/teams/space.ts): what this call bound is given back, unless a subscription of the owner
    // holds it (a concurrent activation of the same purchase, done before this one got the lease),
    // so the landing can still be activated by the buyer themself or for another team.
    if (!started && error instanceof AppError && (error.code === "forbidden" || error.code === "not_found")) {
      const held = new Set((await readUserAccess(user.id)).subscriptions.flatMap((s) => s.customerKeys ?? []));
      for (const done of bound) if (!held.has(done)) await unbindCustomer(done, user.id);
    }
    throw error;
  });
}
