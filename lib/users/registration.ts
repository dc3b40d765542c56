import { AdminCreateUserCommand, AdminDeleteUserCommand, AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { queryAll } from "../db/query";
import { recordAudit } from "../audit";
import { cognito } from "../cognito/client";
import { getConfig } from "../config";
import { db } from "../db/client";
import { tableName } from "../db/table";
import { AppError } from "../errors";

/**
 * Who may join: `open` (anyone registers), `invite` (only people an admin invited through
 * Cognito's AdminCreateUser), or `approval` (anyone registers, but waits for an admin before they
 * can create keys). The owner switches modes in the admin console; the setting is one row.
 */

export const REGISTRATION_MODES = ["open", "invite", "approval"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

const SETTINGS_PK = "PORTICO#SETTINGS";
const REGISTRATION_SK = "REGISTRATION";
const INVITES_PK = "PORTICO#INVITES";
const CACHE_MS = 5_000;

const processWide = globalThis as typeof globalThis & { __porticoRegistration?: { mode: RegistrationMode; at: number } };

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
  const cached = processWide.__porticoRegistration;
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.mode;
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: { pk: SETTINGS_PK, sk: REGISTRATION_SK } }));
  const parsed = z.enum(REGISTRATION_MODES).safeParse(Item?.mode);
  const mode = parsed.success ? parsed.data : "open";
  processWide.__porticoRegistration = { mode, at: Date.now() };
  return mode;
}

export async function setRegistrationMode(mode: RegistrationMode): Promise<void> {
  if (mode !== "invite" && !selfSignUpAllowed()) {
    throw new AppError("conflict", "This portal's user pool lets only administrators create accounts (auth.selfSignUp is false in the stage settings), so it stays invite-only.");
  }
  const before = await getRegistrationMode();
  await db.send(new PutCommand({ TableName: tableName(), Item: { pk: SETTINGS_PK, sk: REGISTRATION_SK, mode, updatedAt: new Date().toISOString() } }));
  processWide.__porticoRegistration = { mode, at: Date.now() };
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

const inviteKey = (email: string) => ({ pk: INVITES_PK, sk: email.toLowerCase() });

export async function listInvites(): Promise<Invite[]> {
  const rows = await queryAll<Invite>({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": INVITES_PK } });
  return rows.sort((a, b) => b.invitedAt.localeCompare(a.invitedAt));
}

async function getInvite(email: string): Promise<Invite | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: inviteKey(email), ConsistentRead: true }));
  return Item as Invite | undefined;
}

/** Creates the person's sign-in account; Cognito e-mails them a temporary password. */
export async function inviteUser(input: { email: string; name?: string }, by: { email: string | null }): Promise<Invite> {
  const email = input.email.toLowerCase();
  const attributes = [
    { Name: "email", Value: email },
    { Name: "email_verified", Value: "true" },
    ...(input.name ? [{ Name: "name", Value: input.name }] : []),
  ];
  try {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: getConfig().COGNITO_USER_POOL_ID, Username: email, UserAttributes: attributes, DesiredDeliveryMediums: ["EMAIL"] }));
  } catch (error) {
    if ((error as Error).name === "UsernameExistsException") throw new AppError("conflict", `${email} already has an account.`);
    throw new AppError("unavailable", "Cognito couldn't send the invitation. Nothing was changed — try again in a moment.", { cause: error });
  }
  const invite: Invite = { email, name: input.name ?? null, status: "pending", invitedAt: new Date().toISOString(), invitedBy: by.email };
  await db.send(new PutCommand({ TableName: tableName(), Item: { ...inviteKey(email), ...invite } }));
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
  try {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: getConfig().COGNITO_USER_POOL_ID, Username: invite.email, MessageAction: "RESEND", DesiredDeliveryMediums: ["EMAIL"] }));
  } catch (error) {
    const name = (error as Error).name;
    if (name === "UnsupportedUserStateException") throw new AppError("conflict", "They have already set their password: the invitation was accepted.");
    if (name === "UserNotFoundException") throw new AppError("conflict", "Their sign-in account no longer exists. Cancel this invitation and invite them again.");
    throw new AppError("unavailable", "Cognito couldn't resend the invitation. Try again in a moment.", { cause: error });
  }
  const resentAt = new Date().toISOString();
  await db.send(new UpdateCommand({ TableName: tableName(), Key: inviteKey(email), UpdateExpression: "SET resentAt = :at", ExpressionAttributeValues: { ":at": resentAt } }));
  await recordAudit({ type: "invite.resent", target: invite.email });
  return { ...invite, resentAt };
}

/** Withdraws an invitation that hasn't been accepted: the unused sign-in account goes too. */
export async function cancelInvite(email: string): Promise<void> {
  const invite = await pendingInvite(email);
  const pool = getConfig().COGNITO_USER_POOL_ID;
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool, Username: invite.email })).catch((error: Error) => {
    if (error.name === "UserNotFoundException") return undefined;
    throw new AppError("unavailable", "Cognito couldn't be reached. Try again in a moment.", { cause: error });
  });
  if (user && user.UserStatus !== "FORCE_CHANGE_PASSWORD") throw new AppError("conflict", "They have already set their password: manage them as a user instead.");
  if (user) await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: invite.email }));
  await db.send(new UpdateCommand({ TableName: tableName(), Key: inviteKey(email), UpdateExpression: "SET #status = :cancelled", ExpressionAttributeNames: { "#status": "status" }, ExpressionAttributeValues: { ":cancelled": "cancelled" } }));
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
  await db
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: inviteKey(email),
        UpdateExpression: "SET #status = :accepted, acceptedAt = :at",
        ConditionExpression: "#status = :pending",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":accepted": "accepted", ":pending": "pending", ":at": new Date().toISOString() },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
}
