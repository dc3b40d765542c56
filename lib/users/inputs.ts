import { z } from "zod";
import { REGISTRATION_MODES } from "./registration";

/** Everything the admin routes accept, validated at the boundary. */
export const adminInputs = {
  userId: z.string().regex(/^[\w-]{1,128}$/, "That isn't a user id."),
  userList: z.object({
    q: z.string().trim().max(200, "Search for at most 200 characters.").optional(),
    status: z.enum(["active", "pending", "disabled"], { message: "status must be active, pending or disabled." }).optional(),
    page: z.coerce.number({ message: "page must be a number." }).int("page must be a whole number.").min(1, "page starts at 1.").max(100_000).optional(),
  }),
  userAction: z.object({
    action: z.enum(["disable", "enable", "approve", "grant-admin", "remove-admin", "revoke-sessions"], {
      message: "action must be one of disable, enable, approve, grant-admin, remove-admin, revoke-sessions.",
    }),
  }),
  deleteUser: z.object({ confirm: z.string().min(1, "Type the user's email address to confirm.").max(254) }),
  registration: z.object({ mode: z.enum(REGISTRATION_MODES, { message: "mode must be open, invite or approval." }) }),
  invite: z.object({
    email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
    name: z.string().trim().min(1).max(100, "Names are at most 100 characters.").optional(),
  }),
  inviteEmail: z.string().trim().toLowerCase().email("That isn't an email address.").max(254),
  decision: z.object({
    decision: z.enum(["approve", "reject"], { message: "decision must be approve or reject." }),
    reason: z.string().trim().max(500, "Keep the reason under 500 characters.").optional(),
  }),
  audit: z.object({
    user: z.string().regex(/^[\w-]{1,128}$/, "That isn't a user id.").optional(),
    type: z.string().regex(/^[a-z-]+(\.[a-z-]+)?$/, "type is an area like key or a type like key.created.").optional(),
    cursor: z.string().max(2_000).optional(),
    format: z.enum(["json", "csv"]).optional(),
  }),
};
