import { z } from "zod";
import { GRACE_PERIODS } from "../access/types";
import { ROLES } from "./roles";

const RESERVED_SLUGS = ["join", "new"];

/** What the team routes accept. */
export const teamSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "A team's slug is 1–40 lowercase letters, digits and hyphens, not starting or ending with a hyphen.")
  // Pages of their own under /teams/.
  .refine((slug) => !RESERVED_SLUGS.includes(slug), { message: "That slug is reserved. Choose another." });

export const teamNameSchema = z
  .string()
  .trim()
  .min(1, "Give the team a name.")
  .max(80, "Team names are at most 80 characters.")
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, "Team names can't contain control or invisible characters.");

export const createTeamInput = z.object({ name: teamNameSchema, slug: teamSlugSchema });

const invitedRole = z.enum(ROLES.filter((role) => role !== "owner") as ["admin", "member", "viewer"], {
  message: "role must be admin, member or viewer (make someone an owner once they have joined).",
});
export const inviteInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "Give the email address to invite." }))
    .pipe(z.string().max(254)),
  role: invitedRole,
});
export const changeRoleInput = z.object({ role: z.enum(ROLES, { message: "role must be owner, admin, member or viewer." }) });

const grace = z.enum(Object.keys(GRACE_PERIODS) as [keyof typeof GRACE_PERIODS], { message: "grace must be none, 1h, 24h or 7d." });
/** Removing someone (query parameters): whether to rotate the team keys they have seen, and how long the old values keep working. */
export const removeMemberInput = z.object({
  rotateRevealed: z
    .enum(["true", "false"], { message: "rotateRevealed must be true or false." })
    .default("false")
    .transform((value) => value === "true"),
  grace: grace.default("24h"),
});
/** A team's settings (owners): its name, and whether departures must rotate what the person saw (null: up to whoever removes them). */
export const teamSettingsInput = z
  .strictObject({ name: teamNameSchema.optional(), rotateOnDeparture: grace.nullable().optional() })
  .refine((input) => input.name !== undefined || input.rotateOnDeparture !== undefined, { message: "Send a new name, rotateOnDeparture, or both." });
/** Rotating what former members saw (query parameters): how long the old values keep working. */
export const rotateSeenInput = z.object({ grace: grace.default("24h") });
/** A person's id as the routes take it (Auth.js ids are UUIDs). */
export const personId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "That isn't a valid user id.");
export const transferInput = z.object({ userId: personId });
const inviteToken = z
  .string()
  .max(200)
  .regex(/^team_[a-z0-9]{16,32}\.[a-z0-9]{16,32}\.[A-Za-z0-9_-]{32,64}$/, "That invitation link is not complete. Open the whole link from the email.");
/** An invitation link's token: `<teamId>.<inviteId>.<secret>`. */
export const inviteTokenInput = z.object({ token: inviteToken });
/**
 * Accepting or declining: the token in the body (API clients), or none, and then the one the
 * browser's invitation cookie carries (lib/teams/invite-link.ts), never a URL.
 */
export const inviteAnswerInput = z.object({ token: inviteToken.optional() });
