import { addKeyToPlan, removeKeyFromPlan } from "../apigateway";
import { recordAudit } from "../audit";
import type { SubscribeTarget } from "../catalog/types";
import { putItem, queryAll, updateItem } from "../db/items";
import { PENDING_QUEUE, pendingIndex, subSk, userPk } from "../db/keys";
import type { KeyRow, SubscriptionRow } from "../db/rows";
import { AppError } from "../errors";
import { nameList } from "../text";
import { shareApiStage, stageIds } from "./conflicts";
import { changeAccess } from "./profile";
import {
  assertInGoodStanding,
  auditSubject,
  deleteSubscriptionRow,
  generalKeys,
  isClosedMarketplace,
  keysInPlan,
  portalSubscriptions,
  readUserAccess,
  subscriptionView,
  undo,
  type UserAccess,
} from "./rows";
import type { PlanOffer, SubscriptionView } from "./types";
import { keepUsage } from "./usage";

/** API Gateway allows a key in at most 10 usage plans (AWS-FACTS.md). */
export const MAX_PLANS_PER_KEY = 10;

type Step = () => Promise<void>;

/** The user's active subscriptions whose plans cover one of `target`'s API stages (one plan per stage per key). */
function conflictsWith(access: UserAccess, target: SubscribeTarget): SubscriptionRow[] {
  const wanted = stageIds(target.apiStages);
  return portalSubscriptions(access).filter((s) => s.planId !== target.planId && shareApiStage(wanted, s.apiStages ?? []));
}

/**
 * Moves every live key onto `planId` (leaving `replacing` plans first, since a key may hold only one
 * plan per API stage). Each completed step has an inverse, so a failure puts everything back.
 */
async function attachKeys(keys: KeyRow[], planId: string, replacing: string[]): Promise<Step[]> {
  const done: Step[] = [];
  try {
    for (const key of keys) {
      for (const old of replacing) {
        await removeKeyFromPlan(old, key.keyId);
        done.push(() => addKeyToPlan(old, key.keyId));
      }
      await addKeyToPlan(planId, key.keyId);
      done.push(() => removeKeyFromPlan(planId, key.keyId));
    }
    return done;
  } catch (error) {
    await undo(done);
    throw error;
  }
}

function subscriptionRow(
  user: { id: string; email: string | null; team?: { slug: string } },
  target: SubscribeTarget,
  state: SubscriptionRow["state"],
  replaces: string[],
): SubscriptionRow {
  const { id: userId, email } = user;
  const now = new Date().toISOString();
  return {
    pk: userPk(userId),
    sk: subSk(target.planId),
    userId,
    planId: target.planId,
    productSlug: target.productSlug,
    productName: target.productName,
    apiStages: stageIds(target.apiStages),
    state,
    createdAt: now,
    ...(email ? { email } : {}),
    ...(user.team ? { team: user.team.slug } : {}),
    ...(replaces.length ? { replaces } : {}),
    ...(state === "pending" ? pendingIndex(now, userId, target.planId) : {}),
  };
}

/**
 * Puts all keys on the plan, then records it active, then drops the replaced subscriptions.
 * (One item per write: the new row names what it `replaces`, so if the process dies between the
 * two writes the reconciler can finish the switch.)
 */
async function activate(access: UserAccess, row: SubscriptionRow, target: SubscribeTarget, replacing: SubscriptionRow[]): Promise<SubscriptionRow> {
  // The replaced plans' history stays: what each key used in them is kept before it leaves.
  await keepUsage(
    row.userId,
    generalKeys(access),
    replacing.map((s) => s.planId),
  );
  const done = await attachKeys(
    generalKeys(access),
    target.planId,
    replacing.map((s) => s.planId),
  );
  const replaces = replacing.map((s) => s.planId);
  const active: SubscriptionRow = { ...row, state: "active", GSI1PK: undefined, GSI1SK: undefined, replaces: replaces.length ? replaces : undefined };
  try {
    // Keyed by plan, so a user holds at most one row per plan; never overwrite an active one.
    await putItem(active, { expression: "attribute_not_exists(pk) OR #state <> :active", names: { "#state": "state" }, values: { ":active": "active" } });
  } catch (error) {
    await undo(done);
    throw error;
  }
  for (const old of replacing) await deleteSubscriptionRow(old.userId, old.planId);
  if (!replaces.length) return active;
  // The switch is done: `replaces` would otherwise tell the reconciler, later, to end a plan taken
  // again by other means (e.g. bought on AWS Marketplace).
  await updateItem(
    active,
    { expression: "REMOVE #replaces", names: { "#replaces": "replaces" } },
    { condition: { expression: "#state = :active", names: { "#state": "state" }, values: { ":active": "active" } } },
  );
  return { ...active, replaces: undefined };
}

export async function listSubscriptions(userId: string): Promise<SubscriptionView[]> {
  return (await readUserAccess(userId)).subscriptions.map(subscriptionView);
}

/**
 * What subscribing to `target` would do for this user now — the one answer the dashboard shows
 * and `subscribe` enforces. Only portal subscriptions can be switched away: a plan bought on AWS
 * Marketplace holds its own key only, so it never stands in the way (and never ends by a switch).
 */
export function offerFor(access: UserAccess, target: SubscribeTarget): PlanOffer {
  const existing = access.subscriptions.find((s) => s.planId === target.planId);
  // A rejected request may be made again, and a plan whose marketplace subscription ended may be taken from the portal.
  if (existing && existing.state !== "rejected" && !isClosedMarketplace(existing)) {
    return { kind: "held", state: existing.state, ...(existing.source ? { source: existing.source } : {}) };
  }
  const conflicts = conflictsWith(access, target);
  if (portalSubscriptions(access).length - conflicts.length + 1 > MAX_PLANS_PER_KEY) {
    return { kind: "blocked", reason: `A key can be in at most ${MAX_PLANS_PER_KEY} plans. Unsubscribe from one first.` };
  }
  if (!conflicts.length) return { kind: "subscribe", approval: target.approvalRequired };
  return { kind: "switch", approval: target.approvalRequired, ends: conflicts.map((s) => ({ planId: s.planId, productName: s.productName })) };
}

/**
 * Subscribes the user's keys to a product's plan. Idempotent: subscribing again (or 20 times at
 * once) returns the one subscription. A plan covering the same API stage as plans the user holds
 * is a switch, which ends those plans: it goes ahead only if `ends` names every one of them (the
 * plans the user was shown and confirmed), so a switch never ends a plan the user wasn't told of.
 * Approval-required products wait as pending.
 */
export async function subscribe(
  user: { id: string; email: string | null; team?: { slug: string } },
  target: SubscribeTarget,
  options: { ends?: string[] } = {},
): Promise<SubscriptionView> {
  return changeAccess(user.id, "subscribe", async () => {
    const access = await readUserAccess(user.id);
    assertInGoodStanding(access);
    const offer = offerFor(access, target);
    if (offer.kind === "held") return subscriptionView(access.subscriptions.find((s) => s.planId === target.planId)!);
    if (offer.kind === "blocked") throw new AppError("conflict", offer.reason);
    const conflicts = conflictsWith(access, target);
    if (offer.kind === "switch") {
      const names = nameList(offer.ends.map((e) => e.productName));
      const confirmed = new Set(options.ends ?? []);
      if (!options.ends) throw new AppError("conflict", `${names} already covers the same API. Switch to ${target.productName} instead: it ends ${names}.`);
      if (offer.ends.some((e) => !confirmed.has(e.planId))) {
        throw new AppError(
          "conflict",
          `Your plans have changed: switching to ${target.productName} now ends ${names}. Review the switch and confirm it again.`,
        );
      }
    }

    const row = subscriptionRow(
      user,
      target,
      target.approvalRequired ? "pending" : "active",
      conflicts.map((s) => s.planId),
    );
    const subject = auditSubject(user.id, access, user.email);
    const switched = conflicts.length ? { before: { plans: conflicts.map((s) => s.planId) } } : {};
    if (target.approvalRequired) {
      await putItem(row);
      await recordAudit({
        type: "subscription.requested",
        subject,
        target: target.planId,
        ...switched,
        after: { state: "pending" },
        notice: { to: "admins", type: "admin.approval-requested", data: { planId: target.planId, productName: target.productName, userEmail: user.email } },
      });
      return subscriptionView(row);
    }
    const active = await activate(access, row, target, conflicts);
    await recordAudit({
      type: conflicts.length ? "subscription.switched" : "subscription.created",
      subject,
      target: target.planId,
      ...switched,
      after: { state: active.state },
    });
    return subscriptionView(active);
  });
}

/** Takes every key off the plan and forgets the subscription (or withdraws a pending request). */
export async function unsubscribe(userId: string, planId: string): Promise<void> {
  await changeAccess(userId, "unsubscribe", async () => {
    const access = await readUserAccess(userId);
    const sub = access.subscriptions.find((s) => s.planId === planId);
    if (!sub) throw new AppError("not_found", "You aren't subscribed to that plan.");
    if (sub.source === "marketplace" && sub.state !== "ended" && sub.state !== "failed") {
      throw new AppError("conflict", "This subscription was bought on AWS Marketplace: cancel it there, and its key stops working here when AWS tells us.");
    }
    const leaving = sub.state === "active" ? keysInPlan(access, planId) : [];
    // The plan's history stays: what each key used in it is kept before it leaves.
    await keepUsage(userId, leaving, [planId]);
    const done: Step[] = [];
    try {
      if (sub.state === "active") {
        for (const key of leaving) {
          await removeKeyFromPlan(planId, key.keyId);
          done.push(() => addKeyToPlan(planId, key.keyId));
        }
      }
      await deleteSubscriptionRow(userId, planId);
    } catch (error) {
      await undo(done);
      throw error;
    }
    await recordAudit({
      type: sub.state === "pending" ? "subscription.withdrawn" : "subscription.ended",
      subject: auditSubject(userId, access),
      target: planId,
      before: { state: sub.state },
    });
  });
}

/** A request in the admins' queue: who asked, and the plans it would replace when it is a switch. */
export type PendingSubscription = SubscriptionView & { userId: string; email?: string; team?: string; replaces?: string[] };

/** Pending requests, oldest first (the admins' queue; one Query, no Scan). */
export async function listPendingSubscriptions(): Promise<PendingSubscription[]> {
  const rows = await queryAll<SubscriptionRow>({
    IndexName: "GSI1",
    KeyConditionExpression: "GSI1PK = :queue",
    ExpressionAttributeValues: { ":queue": PENDING_QUEUE },
  });
  return rows.map((row) => ({
    ...subscriptionView(row),
    userId: row.userId,
    ...(row.email ? { email: row.email } : {}),
    ...(row.team ? { team: row.team } : {}),
    ...(row.replaces?.length ? { replaces: row.replaces } : {}),
  }));
}

/**
 * An admin's decision on a pending request. Approving attaches the user's keys (switching plans
 * if the request asked to); rejecting keeps the row so the user sees the outcome.
 */
export async function decideSubscription(
  userId: string,
  planId: string,
  decision: "approve" | "reject",
  target?: SubscribeTarget,
  reason?: string,
): Promise<SubscriptionView> {
  return changeAccess(userId, `${decision}-subscription`, async () => {
    const access = await readUserAccess(userId);
    const row = access.subscriptions.find((s) => s.planId === planId);
    if (!row || row.state !== "pending") throw new AppError("not_found", "There is no pending request for that plan.");
    const decidedAt = new Date().toISOString();
    // The admin's reason is shown to the user on their dashboard.
    const notice = reason?.trim() ? { notice: reason.trim() } : {};
    const audit = {
      type: `subscription.${decision === "approve" ? "approved" : "rejected"}`,
      subject: auditSubject(userId, access, row.email),
      target: planId,
      before: { state: "pending" },
      ...(reason?.trim() ? { reason: reason.trim() } : {}),
    };
    if (decision === "reject") {
      const rejected: SubscriptionRow = { ...row, ...notice, state: "rejected", decidedAt, GSI1PK: undefined, GSI1SK: undefined };
      await putItem(rejected);
      await recordAudit({
        ...audit,
        after: { state: "rejected" },
        notice: { type: "subscription.rejected", data: { planId, productName: row.productName, ...(reason?.trim() ? { reason: reason.trim() } : {}) } },
      });
      return subscriptionView(rejected);
    }
    const stages = target?.apiStages ?? (row.apiStages ?? []).map((id) => ({ apiId: id.split("/")[0]!, stage: id.split("/").slice(1).join("/") }));
    const resolved: SubscribeTarget = target ?? {
      planId,
      productSlug: row.productSlug,
      productName: row.productName,
      approvalRequired: true,
      apiStages: stages,
    };
    // Approving does what subscribing would do now, were the request not there: it may end only what the request named.
    const offer = offerFor({ ...access, subscriptions: access.subscriptions.filter((s) => s !== row) }, resolved);
    if (offer.kind === "blocked") throw new AppError("conflict", offer.reason);
    const unrequested = offer.kind === "switch" ? offer.ends.filter((e) => !(row.replaces ?? []).includes(e.planId)) : [];
    if (unrequested.length) {
      throw new AppError(
        "conflict",
        `The user now holds ${nameList(unrequested.map((e) => e.productName))}, which covers the same API. Ask them to request a switch.`,
      );
    }
    const conflicts = conflictsWith(access, resolved);
    const approved = await activate(access, { ...row, ...notice, decidedAt }, resolved, conflicts);
    await recordAudit({
      ...audit,
      after: { state: approved.state },
      notice: { type: "subscription.approved", data: { planId, productName: row.productName } },
    });
    return subscriptionView(approved);
  });
}
