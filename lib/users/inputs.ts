import { z } from "zod";
import { ADMIN_MAX_LENGTH, REGISTRATION_MODES, USER_STATUS_FILTERS } from "./input-rules";

const NOT_A_USER_ID = "That isn't a user id.";
const userId = z
  .string()
  .max(ADMIN_MAX_LENGTH.userId, NOT_A_USER_ID)
  .regex(/^[\w-]+$/, NOT_A_USER_ID);

/** Everything the admin routes accept, validated at the boundary. */
export const adminInputs = {
  userId,
  userList: z.object({
    q: z.string().trim().max(ADMIN_MAX_LENGTH.search, `Search for at most ${ADMIN_MAX_LENGTH.search} characters.`).optional(),
    status: z.enum(USER_STATUS_FILTERS, { message: "status must be active, pending or disabled." }).optional(),
    page: z.coerce.number({ message: "page must be a number." }).int("page must be a whole number.").min(1, "page starts at 1.").max(100_000).optional(),
  }),
  teamList: z.object({
    q: z.string().trim().max(ADMIN_MAX_LENGTH.search, `Search for at most ${ADMIN_MAX_LENGTH.search} characters.`).optional(),
    page: z.coerce.number({ message: "page must be a number." }).int("page must be a whole number.").min(1, "page starts at 1.").max(100_000).optional(),
  }),
  userAction: z.object({
    action: z.enum(["disable", "enable", "approve", "grant-admin", "remove-admin", "revoke-sessions"], {
      message: "action must be one of disable, enable, approve, grant-admin, remove-admin, revoke-sessions.",
    }),
  }),
  deleteUser: z.object({ confirm: z.string().min(1, "Type the user's email address to confirm.").max(ADMIN_MAX_LENGTH.email) }),
  /** A team in an admin URL: its id (`team_…`) or its slug. */
  teamRef: z
    .string()
    .max(ADMIN_MAX_LENGTH.userId, "That isn't a team's id or slug.")
    .regex(/^(?:team_[a-z0-9]{1,64}|[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)$/, "That isn't a team's id or slug."),
  teamAction: z.object({ action: z.enum(["disable", "enable"], { message: "action must be disable or enable." }) }),
  deleteTeam: z.object({ confirm: z.string().min(1, "Type the team's slug to confirm.").max(100, "Type the team's slug to confirm.") }),
  /** Who becomes an owner: a person's id, or the email address of an active account. */
  appointOwner: z.union(
    [
      z.strictObject({ userId: userId }),
      z.strictObject({ email: z.string().trim().toLowerCase().email("That isn't an email address.").max(ADMIN_MAX_LENGTH.email) }),
    ],
    { message: "Give the new owner's userId or email." },
  ),
  registration: z.object({ mode: z.enum(REGISTRATION_MODES, { message: "mode must be open, invite or approval." }) }),
  invite: z.object({
    email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(ADMIN_MAX_LENGTH.email),
    name: z.string().trim().min(1).max(ADMIN_MAX_LENGTH.name, `Names are at most ${ADMIN_MAX_LENGTH.name} characters.`).optional(),
  }),
  inviteEmail: z.string().trim().toLowerCase().email("That isn't an email address.").max(ADMIN_MAX_LENGTH.email),
  decision: z.object({
    decision: z.enum(["approve", "reject"], { message: "decision must be approve or reject." }),
    reason: z.string().trim().max(ADMIN_MAX_LENGTH.reason, `Keep the reason under ${ADMIN_MAX_LENGTH.reason} characters.`).optional(),
  }),
  audit: z.object({
    user: userId.optional(),
    type: z
      .string()
      .regex(/^[a-z-]+(\.[a-z-]+)?$/, "type is an area like key or a type like key.created.")
      .optional(),
    cursor: z.string().max(2_000).optional(),
    format: z.enum(["json", "csv"]).optional(),
  }),
};
