export { assertDeletionConfirmed, deleteAccount, dropAllAccess, getAccessSummary, removeAccount, setKeysEnabled } from "./account";
export {
  createKeyInput,
  deleteAccountInput,
  renameKeyInput,
  keyNameSchema,
  resourceId,
  rotateKeyInput,
  subscribeInput,
  updateKeyInput,
  usageQuery,
} from "./inputs";
export { setKeyExpiry, type ExpiryChoice } from "./expiry";
export { queueUnusedKeyNotices, type UnusedReport } from "./unused";
export { createKey, listKeys, maxKeysPerUser, renameKey, revealKey, revokeKey, rotateKey, updateKey, USER_TAG, type AccessUser } from "./keys";
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
