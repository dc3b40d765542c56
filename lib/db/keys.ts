import type { RowKey } from "./items";

/**
 * Every row's key, in one place. Auth.js's adapter rows (user, account, session) and the portal's
 * share one table (table.ts):
 *
 *   pk                        sk                          row
 *   USER#<userId>             USER#<userId>               the Auth.js user (+ groups, cognitoCheckedAt)
 *                             ACCOUNT#<provider>#<id>     a linked sign-in account (Auth.js)
 *                             SESSION#<token>             a session (Auth.js)
 *                             KEY#<apiKeyId>              a key: name, hint, state, rotation info
 *                             SUB#<usagePlanId>           a subscription
 *                             USAGE#<planId>#<apiKeyId>   a key's usage of a plan, kept as history
 *                             PROFILE                     the admin directory's summary (profiles.ts)
 *                             LOCK                        the per-user write lease
 *                             PTOKEN#<slot>               a personal portal token (hash only; lib/tokens)
 *   USER#team_<id>            PROFILE, KEY#, SUB#, …      a team: it owns access as a user does (lib/teams)
 *                             TEAM#MEMBER#<userId>        a member and their role (GSI1: MEMBEROF#<userId>)
 *                             TEAM#INVITE#<inviteId>      an open invitation (its secret's hash only)
 *                             TEAM#REVEAL#<keyId>#<userId>  who has seen a team key's value
 *   TEAMSLUG#<slug>           TEAMSLUG                    a team's slug, taken once
 *   PORTICO#SETTINGS          REGISTRATION | CATALOG      registration mode, catalog overrides
 *   PORTICO#INVITES           <email>                     an invitation
 *   MPCUSTOMER#<identity>     CUSTOMER                    an AWS Marketplace buyer (customers.ts)
 *   MPLANDING#<handle>        LANDING                     a buyer back from AWS Marketplace, not yet linked
 *   MPEVENT#<eventId>         EVENT                       a Marketplace event already applied
 *   LIMIT#<row>               LIMIT                       rate buckets (rate-buckets.ts): the control-plane budget, per-user limits
 *   AUDIT                     <iso time>#<id>             the audit log
 *   NOTIFY#<userId>           PREFS                       notification preferences (lib/notifications)
 *                             WEBHOOK#<endpointId>        a webhook endpoint, with its signing secrets
 *                             NOTICE#<noticeId>           a notice (the outbox: queued until expanded into deliveries)
 *                             DELIVERY#<at>#<noticeId>#<target>  one email or webhook delivery, and its log entry
 *   SUPPRESSED#<email>        SUPPRESSED                  an address SES reported bouncing or complaining
 *
 * GSI1 serves queues and feeds without a Scan: PORTICO#RETIRING (rotated keys by expiry),
 * PORTICO#PENDING (subscription requests by time), PORTICO#DIRECTORY (profiles by update time),
 * AUDIT#<userId> (one user's audit entries), PORTICO#OUTBOX#<shard> (notices to expand, by time),
 * PORTICO#DUE (deliveries by when they are next due), besides the adapter's own.
 */

export const userPk = (userId: string) => `USER#${userId}`;
/** Teams own keys and plans as people do, under ids of their own shape in the same partitions (lib/teams). */
export const TEAM_ID_PREFIX = "team_";
export const isTeamId = (ownerId: string) => ownerId.startsWith(TEAM_ID_PREFIX);
/** The Auth.js adapter's user row: its sort key repeats the partition key. */
export const authUserKey = (userId: string): RowKey => ({ pk: userPk(userId), sk: userPk(userId) });
export const COGNITO_ACCOUNT_PREFIX = "ACCOUNT#cognito#";
export const SESSION_PREFIX = "SESSION#";
export const sessionKey = (userId: string, token: string): RowKey => ({ pk: userPk(userId), sk: `${SESSION_PREFIX}${token}` });

export const KEY_PREFIX = "KEY#";
export const keySk = (keyId: string) => `${KEY_PREFIX}${keyId}`;
export const SUB_PREFIX = "SUB#";
export const subSk = (planId: string) => `${SUB_PREFIX}${planId}`;
export const USAGE_PREFIX = "USAGE#";
export const usageSk = (planId: string, keyId: string) => `${USAGE_PREFIX}${planId}#${keyId}`;
export const PROFILE_SK = "PROFILE";
export const profileKey = (userId: string): RowKey => ({ pk: userPk(userId), sk: PROFILE_SK });
export const LOCK_SK = "LOCK";
export const lockKey = (userId: string): RowKey => ({ pk: userPk(userId), sk: LOCK_SK });

export const RETIRING_QUEUE = "PORTICO#RETIRING";
export const PENDING_QUEUE = "PORTICO#PENDING";
export const DIRECTORY_PK = "PORTICO#DIRECTORY";
/** A rotated key's place in the retiring queue: by when it stops working. */
export const retiringIndex = (retiresAt: string, userId: string, keyId: string) => ({ GSI1PK: RETIRING_QUEUE, GSI1SK: `${retiresAt}#${userId}#${keyId}` });
/** A subscription request's place in the admins' queue: by when it was made. */
export const pendingIndex = (requestedAt: string, userId: string, planId: string) => ({ GSI1PK: PENDING_QUEUE, GSI1SK: `${requestedAt}#${userId}#${planId}` });
/** A profile's place in the directory's change feed: by when it last changed. */
export const directoryIndex = (updatedAt: string, userId: string) => ({ GSI1PK: DIRECTORY_PK, GSI1SK: `${updatedAt}#${userId}` });

export const REGISTRATION_KEY: RowKey = { pk: "PORTICO#SETTINGS", sk: "REGISTRATION" };
export const CATALOG_OVERRIDES_KEY: RowKey = { pk: "PORTICO#SETTINGS", sk: "CATALOG" };
export const INVITES_PK = "PORTICO#INVITES";
export const inviteKey = (email: string): RowKey => ({ pk: INVITES_PK, sk: email.toLowerCase() });

/** `identity` is one of the buyer's identities (lib/marketplace/customers.ts customerKeys). */
export const customerRowKey = (identity: string): RowKey => ({ pk: `MPCUSTOMER#${identity}`, sk: "CUSTOMER" });
export const landingKey = (handle: string): RowKey => ({ pk: `MPLANDING#${handle}`, sk: "LANDING" });
export const eventMarkerKey = (eventId: string): RowKey => ({ pk: `MPEVENT#${eventId}`, sk: "EVENT" });

/** A row of rate buckets (lib/limits): `row` names whose they are, e.g. `apigateway` or `portal#keys#user#<id>`. */
export const rateBucketKey = (row: string): RowKey => ({ pk: `LIMIT#${row}`, sk: "LIMIT" });

export const AUDIT_PK = "AUDIT";
export const auditIndexPk = (userId: string) => `AUDIT#${userId}`;

/** A personal portal token (lib/tokens) in its owner's partition, in the slot its id begins with: deleting the account deletes it. */
export const TOKEN_PREFIX = "PTOKEN#";
// Team rows sort after SUB#, outside the KEY#…SUB# range lib/db/partition.ts readAccessRows reads.
export const MEMBER_PREFIX = "TEAM#MEMBER#";
export const memberKey = (teamId: string, userId: string): RowKey => ({ pk: userPk(teamId), sk: `${MEMBER_PREFIX}${userId}` });
export const membershipIndex = (userId: string, teamId: string) => ({ GSI1PK: `MEMBEROF#${userId}`, GSI1SK: teamId });
export const TEAM_INVITE_PREFIX = "TEAM#INVITE#";
export const teamInviteKey = (teamId: string, inviteId: string): RowKey => ({ pk: userPk(teamId), sk: `${TEAM_INVITE_PREFIX}${inviteId}` });
export const REVEAL_PREFIX = "TEAM#REVEAL#";
export const revealRowKey = (teamId: string, keyId: string, userId: string): RowKey => ({ pk: userPk(teamId), sk: `${REVEAL_PREFIX}${keyId}#${userId}` });
export const teamSlugKey = (slug: string): RowKey => ({ pk: `TEAMSLUG#${slug}`, sk: "TEAMSLUG" });
export const tokenKey = (userId: string, tokenId: string): RowKey => ({ pk: userPk(userId), sk: `${TOKEN_PREFIX}${tokenId.slice(0, 1)}` });

/**
 * A user's notification rows sit in a partition of their own: the dashboard's one Query of the
 * user partition stays small however long the delivery log grows. Deleting the account deletes it.
 */
export const notifyPk = (userId: string) => `NOTIFY#${userId}`;
export const PREFS_SK = "PREFS";
export const WEBHOOK_PREFIX = "WEBHOOK#";
export const webhookKey = (userId: string, endpointId: string): RowKey => ({ pk: notifyPk(userId), sk: `${WEBHOOK_PREFIX}${endpointId}` });
export const NOTICE_PREFIX = "NOTICE#";
export const noticeKey = (userId: string, noticeId: string): RowKey => ({ pk: notifyPk(userId), sk: `${NOTICE_PREFIX}${noticeId}` });
export const DELIVERY_PREFIX = "DELIVERY#";
export const deliveryKey = (userId: string, at: string, noticeId: string, target: string): RowKey => ({
  pk: notifyPk(userId),
  sk: `${DELIVERY_PREFIX}${at}#${noticeId}#${target}`,
});
/** Queued notices are spread over a few index partitions, so a burst (a collector run) has room. */
export const OUTBOX_SHARDS = 4;
export const outboxIndex = (shard: number, at: string, userId: string, noticeId: string) => ({
  GSI1PK: `PORTICO#OUTBOX#${shard}`,
  GSI1SK: `${at}#${userId}#${noticeId}`,
});
export const DUE_QUEUE = "PORTICO#DUE";
/** A delivery's place in the queue of work: by when it is next due (a claimed one: when its claim runs out). */
export const dueIndex = (dueAt: string, key: RowKey) => ({ GSI1PK: DUE_QUEUE, GSI1SK: `${dueAt}#${key.pk}#${key.sk}` });
export const suppressedKey = (email: string): RowKey => ({ pk: `SUPPRESSED#${email.toLowerCase()}`, sk: "SUPPRESSED" });
