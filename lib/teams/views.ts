import type { MemberRow } from "./store";

/** A member as the team's pages and API show them. */
export const memberView = (m: MemberRow) => ({ userId: m.userId, email: m.email, name: m.name, role: m.role, joinedAt: m.joinedAt });
export type MemberView = ReturnType<typeof memberView>;
