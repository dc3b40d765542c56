import { z } from "zod";
import { recordAudit } from "../audit";
import { processCache } from "../cache/process";
import { deleteUser, getUser, resendInvitation, sendInvitation } from "../cognito";
import { getConfig } from "../config";
import { conditionally, getItem, putItem, queryAll, updateItem } from "../db/items";
import { INVITES_PK, inviteKey, REGISTRATION_KEY } from "../db/keys";
import { AppError } from "../errors";
import { REGISTRATION_MODES, type RegistrationMode } from "./input-rules";

/**
 * Who may join: `open` (anyone registers), `invite` (only people an admin invited through
 * Cognito's AdminCreateUser), or `approval` (anyone registers, but waits for an admin before they
 * can create keys). The owner switches modes in the admin console; the setting is one row.
 */

const CACHE_MS = 5_000;
/** The mode as this server last read or wrote it, for a few seconds: it is read on every sign-up. */
const recent = processCache<{ mode: RegistrationMode; at: number }>("RegistrationMode", 1);

/**
 * Whether people can sign themselves up at all: a stage can make its user pool admin-create-only
 * (infra setting auth.selfSignUp: false), and then the portal is invite-only whatever the row says.
 */
export function selfSignUpAllowed(): boolean {
  return getConfig().PORTICO_SELF_SIGN_UP;
}

/** The current mode; cached for a few seconds per process (it is read on every sign-up and header). */
export async function getRegistrationMode(): Promise<RegistrationMode> {
  if (!selfSignUpAllowed()) return "invite";
  const cached = recent.get("mode");
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.mode;
  const row = await getItem<{ mode?: unknown }>(REGISTRATION_KEY);
  const parsed = z.enum(REGISTRATION_MODES).safeParse(row?.mode);
  return recent.set("mode", { mode: parsed.success ? parsed.data : "open", at: Date.now() }, 1).mode;
}

export async function setRegistrationMode(mode: RegistrationMode): Promise<void> {
  if (mode !== "invite" && !selfSignUpAllowed()) {
    throw new AppError(
      "conflict",
      "This portal's user pool lets only administrators create accounts (auth.selfSignUp is false in the stage settings), so it stays invite-only.",
    );
  }
  const before = await getRegistrationMode();
  await putItem({ ...REGISTRATION_KEY, mode, updatedAt: new Date().toISOString() });
  recent.set("mode", { mode, at: Date.now() }, 1);
  await recordAudit({ type: "registration.mode-changed", target: "registration", before: { mode: before }, after: { mode } });
}

export type InviteStatus = "pending" | "accepted" | "cancelled";
export interface Invite {
  email: string;
  name: string | null;
  status: InviteStatus;
  invitedAt: string;
  invitedBy: string | null;
  resentAt?: string;
  acceptedAt?: string;
}

export async function listInvites(): Promise<Invite[]> {
  const rows = await queryAll<Invite>({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": INVITES_PK } });
  return rows.sort((a, b) => b.invitedAt.localeCompare(a.invitedAt));
}

async function getInvite(email: string): Promise<Invite | undefined> {
  return getItem<Invite>(inviteKey(email), { consistent: true });
}

/** Creates the person's sign-in account; Cognito e-mails them a temporary password. */
export async function inviteUser(input: { email: string; name?: string }, by: { email: string | null }): Promise<Invite> {
  const email = input.email.toLowerCase();
  await sendInvitation(email, input.name);
  const invite: Invite = { email, name: input.name ?? null, status: "pending", invitedAt: new Date().toISOString(), invitedBy: by.email };
  await putItem({ ...inviteKey(email), ...invite });
  await recordAudit({ type: "invite.sent", target: email, after: { status: "pending" } });
  return invite;
}

async function pendingInvite(email: string): Promise<Invite> {
  const invite = await getInvite(email);
  if (!invite) throw new AppError("not_found", "There is no invitation for that address.");
  if (invite.status !== "pending") throw new AppError("conflict", `That invitation was already ${invite.status}.`);
  return invite;
}

export async function resendInvite(email: string): Promise<Invite> {
  const invite = await pendingInvite(email);
  await resendInvitation(invite.email);
  const resentAt = new Date().toISOString();
  await updateItem(inviteKey(email), { expression: "SET resentAt = :at", values: { ":at": resentAt } });
  await recordAudit({ type: "invite.resent", target: invite.email });
  return { ...invite, resentAt };
}

/** Withdraws an invitation that hasn't been accepted: the unused sign-in account goes too. */
export async function cancelInvite(email: string): Promise<void> {
  const invite = await pendingInvite(email);
  const user = await getUser(invite.email);
  if (user && user.status !== "FORCE_CHANGE_PASSWORD") throw new AppError("conflict", "They have already set their password: manage them as a user instead.");
  if (user) await deleteUser(invite.email);
  await updateItem(inviteKey(email), { expression: "SET #status = :cancelled", names: { "#status": "status" }, values: { ":cancelled": "cancelled" } });
  await recordAudit({ type: "invite.cancelled", target: invite.email, before: { status: "pending" }, after: { status: "cancelled" } });
}

/**
 * Whether someone signing in for the first time may have a portal account, and in which state.
 * Invited people are always welcome (and their invitation is marked accepted).
 */
export async function admitNewUser(email: string | null): Promise<{ allowed: false } | { allowed: true; status: "active" | "pending"; invited: boolean }> {
  const mode = await getRegistrationMode();
  const invite = email ? await getInvite(email) : undefined;
  const invited = invite?.status === "pending" || invite?.status === "accepted";
  if (invited) return { allowed: true, status: "active", invited: true };
  if (mode === "invite") return { allowed: false };
  return { allowed: true, status: mode === "approval" ? "pending" : "active", invited: false };
}

export async function markInviteAccepted(email: string): Promise<void> {
  await conditionally(
    updateItem(
      inviteKey(email),
      {
        expression: "SET #status = :accepted, acceptedAt = :at",
        names: { "#status": "status" },
        values: { ":accepted": "accepted", ":at": new Date().toISOString() },
      },
      { condition: { expression: "#status = :pending", values: { ":pending": "pending" } } },
    ),
  );
}
