import { readProfileRow } from "../db/profiles";
import { ADMINS, categoryOf, type Notice } from "../outbox/events";
import { queueNotice } from "../outbox/queue";
import { readMembers } from "../teams/store";
import { allProfiles } from "../users/directory";
import { createDelivery } from "./deliveries";
import { undeliverableEmail } from "./email-settings";
import { getEndpointRowIfAny, listEndpointRows, type EndpointRow } from "./endpoints";
import { readPreferences } from "./preferences";

/**
 * A notice's deliveries: its person's email (when they want it and it can reach them) and each of
 * their enabled webhook endpoints (when they want that category by webhook); for a team
 * invitation, one email to the address invited (./invitation.ts). Creating a delivery
 * that exists already does nothing, so expanding twice is harmless.
 */
export async function expandNotice(notice: Notice, now: Date): Promise<void> {
  if (notice.userId === ADMINS) return fanOutToAdmins(notice, now);
  const category = categoryOf(notice.type);
  const [prefs, profile] = await Promise.all([readPreferences(notice.userId), readProfileRow(notice.userId)]);
  if (!profile || profile.status === "deleted") return;
  // An invitation goes to the address invited (no one's preferences), and its delivery stays in the team's log.
  if (notice.type === "team.invited") {
    await createDelivery(notice, { channel: "email", target: "email", destination: notice.data.email }, now, await undeliverableEmail(notice.data.email));
    return;
  }
  if (profile.team) return fanOutToTeam(notice, { slug: profile.team.slug, name: profile.name ?? profile.team.slug }, now);
  if (notice.type === "webhook.test") {
    const endpoint = await getEndpointRowIfAny(notice.userId, notice.data.endpointId);
    if (endpoint) await createDelivery(notice, webhookTarget(endpoint), now);
    return;
  }
  if (prefs.email[category]) {
    const email = profile.email;
    await createDelivery(notice, { channel: "email", target: "email", destination: email ?? "—" }, now, await undeliverableEmail(email));
  }
  // An endpoint's own trouble is told by email only (its webhook is what's failing).
  if (prefs.webhook[category] && notice.type !== "webhook.disabled")
    for (const endpoint of await listEndpointRows(notice.userId)) if (endpoint.state === "enabled") await createDelivery(notice, webhookTarget(endpoint), now);
}

/** One notice per active administrator, each expanded like anyone's (by the next run). */
async function fanOutToAdmins(notice: Notice, now: Date): Promise<void> {
  const admins = (await allProfiles()).filter((p) => p.admin && p.status === "active");
  for (const admin of admins) await queueNotice({ ...notice, id: `${notice.id}~${admin.userId}`, userId: admin.userId }, { now });
}

/** A team's notice, once per owner and admin (those who act on its keys), each expanded like anyone's. */
async function fanOutToTeam(notice: Notice, team: NonNullable<Notice["team"]>, now: Date): Promise<void> {
  const managers = (await readMembers(notice.userId)).filter((m) => m.role === "owner" || m.role === "admin");
  for (const manager of managers) await queueNotice({ ...notice, id: `${notice.id}~${manager.userId}`, userId: manager.userId, team }, { now });
}

export const webhookTarget = (endpoint: EndpointRow) => ({
  channel: "webhook" as const,
  target: `webhook:${endpoint.endpointId}`,
  endpointId: endpoint.endpointId,
  destination: endpoint.url,
});
