export { deleteAccount, getAccessSummary, removeAccount } from "./account";
export { createKeyInput, deleteAccountInput, renameKeyInput, keyNameSchema, resourceId, rotateKeyInput, subscribeInput, usageQuery } from "./inputs";
export { createKey, listKeys, maxKeysPerUser, renameKey, revealKey, revokeKey, rotateKey, USER_TAG, type AccessUser } from "./keys";
export { reconcile, type Drift, type ReconcileReport } from "./reconciler";
export {
  decideSubscription,
  listPendingSubscriptions,
  listSubscriptions,
  MAX_PLANS_PER_KEY,
  offerFor,
  subscribe,
  unsubscribe,
  type PendingSubscription,
} from "./subscriptions";
export { sweepRetiredKeys, type SweepReport } from "./sweeper";
export * from "./types";
export { getPlanUsage, usageCsv } from "./usage";
