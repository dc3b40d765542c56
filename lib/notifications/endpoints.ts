import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../audit";
import { conditionally, deleteItem, getItem, putItem, queryAll, rowAbsent, rowExists, updateItem } from "../db/items";
import { notifyPk, WEBHOOK_PREFIX, webhookKey } from "../db/keys";
import { AppError } from "../errors";
import { newWebhookSecret } from "../webhooks/secret";
import { checkEndpointUrl } from "../webhooks/target";

/**
 * A person's webhook endpoints: where their notices are POSTed, signed per Standard Webhooks with
 * the endpoint's secret. Rotating a secret keeps the old one signing too for a day, so receivers
 * can switch without missing a delivery. An endpoint failing for a day is disabled (notifier.ts).
 */

export const MAX_ENDPOINTS = 5;
/** The previous secret keeps signing this long after a rotation. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

export interface EndpointRow {
  pk: string;
  sk: string;
  userId: string;
  endpointId: string;
  url: string;
  description?: string;
  /** Newest first; an older one carries `until`, when it stops signing. */
  secrets: { value: string; createdAt: string; until?: string }[];
  state: "enabled" | "disabled";
  createdAt: string;
  /** The first failure of the current run of failures (cleared by a success). */
  failingSince?: string;
  failures?: number;
  lastStatus?: string;
  lastDeliveryAt?: string;
  disabledAt?: string;
  disabledReason?: string;
}

/** What the owner sees: never a secret (those are shown once, when made). */
export interface EndpointView {
  id: string;
  url: string;
  description?: string;
  state: "enabled" | "disabled";
  createdAt: string;
  failingSince?: string;
  lastStatus?: string;
  lastDeliveryAt?: string;
  disabledReason?: string;
  /** When the previous secret stops signing, during a rotation. */
  previousSecretUntil?: string;
}

export const endpointInput = z.strictObject({
  url: z.string().trim().min(1, "Enter the endpoint's URL.").max(2_048, "That URL is too long (2,048 characters at most)."),
  description: z.string().trim().max(200, "Keep the description under 200 characters.").optional(),
});
export const endpointChange = z.strictObject({
  description: z.string().trim().max(200, "Keep the description under 200 characters.").optional(),
  enabled: z.boolean().optional(),
});

export const endpointView = (row: EndpointRow, now = Date.now()): EndpointView => {
  const previous = row.secrets.slice(1).find((s) => s.until && Date.parse(s.until) > now);
  return {
    id: row.endpointId,
    url: row.url,
    ...(row.description ? { description: row.description } : {}),
    state: row.state,
    createdAt: row.createdAt,
    ...(row.failingSince ? { failingSince: row.failingSince } : {}),
    ...(row.lastStatus ? { lastStatus: row.lastStatus } : {}),
    ...(row.lastDeliveryAt ? { lastDeliveryAt: row.lastDeliveryAt } : {}),
    ...(row.disabledReason ? { disabledReason: row.disabledReason } : {}),
    ...(previous?.until ? { previousSecretUntil: previous.until } : {}),
  };
};

/** The secrets that sign a delivery now: the newest, and a rotated-out one still in its overlap. */
export const signingSecrets = (row: EndpointRow, now = Date.now()) =>
  row.secrets.filter((s, i) => i === 0 || (s.until && Date.parse(s.until) > now)).map((s) => s.value);

export async function listEndpointRows(userId: string): Promise<EndpointRow[]> {
  const rows = await queryAll<EndpointRow>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": notifyPk(userId), ":prefix": WEBHOOK_PREFIX },
    ConsistentRead: true,
  });
  return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function listEndpoints(userId: string): Promise<EndpointView[]> {
  return (await listEndpointRows(userId)).map((row) => endpointView(row));
}

export async function getEndpointRow(userId: string, endpointId: string): Promise<EndpointRow> {
  const row = await getItem<EndpointRow>(webhookKey(userId, endpointId), { consistent: true });
  if (!row) throw new AppError("not_found", "No such webhook endpoint.");
  return row;
}

/** For the notifier: the endpoint as it is now, or undefined when it was deleted. */
export const getEndpointRowIfAny = (userId: string, endpointId: string) => getItem<EndpointRow>(webhookKey(userId, endpointId), { consistent: true });

const subjectOf = (user: { id: string; email: string | null }) => ({ userId: user.id, email: user.email });

/** Registers an endpoint; the secret is returned this once. */
export async function createEndpoint(
  user: { id: string; email: string | null },
  input: z.infer<typeof endpointInput>,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const url = await checkEndpointUrl(input.url);
  const existing = await listEndpointRows(user.id);
  if (existing.length >= MAX_ENDPOINTS)
    throw new AppError("conflict", `You already have ${MAX_ENDPOINTS} webhook endpoints, the most allowed. Delete one to add another.`);
  if (existing.some((e) => e.url === url)) throw new AppError("conflict", "You already have an endpoint with that URL.");
  const now = new Date().toISOString();
  const secret = newWebhookSecret();
  const endpointId = `ep_${randomBytes(9).toString("base64url")}`;
  const row: EndpointRow = {
    ...webhookKey(user.id, endpointId),
    userId: user.id,
    endpointId,
    url,
    ...(input.description ? { description: input.description } : {}),
    secrets: [{ value: secret, createdAt: now }],
    state: "enabled",
    createdAt: now,
  };
  await putItem(row, rowAbsent);
  await recordAudit({ type: "webhook.created", subject: subjectOf(user), target: endpointId, after: { url } });
  return { endpoint: endpointView(row), secret };
}

/** Description, or switching it on and off (switching on clears the failure record). */
export async function changeEndpoint(
  user: { id: string; email: string | null },
  endpointId: string,
  change: z.infer<typeof endpointChange>,
): Promise<EndpointView> {
  const row = await getEndpointRow(user.id, endpointId);
  const sets: string[] = [];
  const removes: string[] = [];
  const values: Record<string, unknown> = {};
  if (change.description !== undefined) {
    if (change.description) {
      sets.push("description = :d");
      values[":d"] = change.description;
    } else removes.push("description");
  }
  if (change.enabled !== undefined && (change.enabled ? "enabled" : "disabled") !== row.state) {
    sets.push("#state = :s");
    values[":s"] = change.enabled ? "enabled" : "disabled";
    if (change.enabled) removes.push("failingSince", "failures", "disabledAt", "disabledReason");
    else {
      sets.push("disabledAt = :at", "disabledReason = :why");
      values[":at"] = new Date().toISOString();
      values[":why"] = "Disabled by you.";
    }
  }
  if (!sets.length && !removes.length) return endpointView(row);
  const updated = await updateItem<EndpointRow>(
    row,
    {
      expression: [sets.length ? `SET ${sets.join(", ")}` : "", removes.length ? `REMOVE ${removes.join(", ")}` : ""].join(" ").trim(),
      names: sets.some((s) => s.startsWith("#state")) ? { "#state": "state" } : {},
      values,
    },
    { condition: rowExists, returnNew: true },
  );
  await recordAudit({
    type: "webhook.changed",
    subject: subjectOf(user),
    target: endpointId,
    before: { state: row.state, description: row.description ?? null },
    after: { state: updated.state, description: updated.description ?? null },
  });
  return endpointView(updated);
}

/** A new secret; the previous one keeps signing for a day. Returned this once. */
export async function rotateEndpointSecret(
  user: { id: string; email: string | null },
  endpointId: string,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const row = await getEndpointRow(user.id, endpointId);
  const now = Date.now();
  const secret = newWebhookSecret();
  const [current] = row.secrets;
  const secrets = [
    { value: secret, createdAt: new Date(now).toISOString() },
    ...(current ? [{ ...current, until: new Date(now + SECRET_OVERLAP_MS).toISOString() }] : []),
  ];
  const stored = await conditionally(
    updateItem(
      row,
      { expression: "SET secrets = :secrets", values: { ":secrets": secrets, ":created": current?.createdAt ?? "" } },
      {
        condition: { expression: "attribute_exists(pk) AND secrets[0].createdAt = :created" },
      },
    ),
  );
  if (!stored) throw new AppError("conflict", "The secret was just rotated. Reload to see the endpoint as it is now.");
  await recordAudit({ type: "webhook.secret-rotated", subject: subjectOf(user), target: endpointId });
  return { endpoint: endpointView({ ...row, secrets }, now), secret };
}

export async function deleteEndpoint(user: { id: string; email: string | null }, endpointId: string): Promise<void> {
  const row = await getEndpointRow(user.id, endpointId);
  await deleteItem(row);
  await recordAudit({ type: "webhook.deleted", subject: subjectOf(user), target: endpointId, before: { url: row.url } });
}
