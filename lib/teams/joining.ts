import { changeAccess } from "../access/profile";
import { getItem } from "../db/items";
import { memberKey } from "../db/keys";
import { readProfileRow } from "../db/profiles";
import { AppError } from "../errors";
import { readMemberships } from "./store";

/** How many teams one person may belong to (each shows in their switcher). */
export const MAX_TEAMS_PER_PERSON = 20;
/** How long a new membership may take to show in the person's index (GSI1) before the person's lease is let go. */
const LISTED_WITHIN_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, which makes `personId` a member of one more team (creating one, or accepting an
 * invitation), under the person's own lease — the lease deleting their account holds too:
 *
 * - the account is checked under it: one deleted (or being deleted, which waits for the lease, then
 *   finds it deleted) never joins anything; and deletion checks, under the same lease, that no
 *   membership appeared after it left its teams (lib/access/account.ts removeAccount);
 * - the MAX_TEAMS_PER_PERSON check and the new membership happen with no other join in between,
 *   so joins and creations at once can't exceed it.
 *
 * A person's memberships are read from an index that DynamoDB updates a moment after the write, so
 * the lease is kept until the new membership shows there: whoever takes the lease next counts it.
 * `work` returns the team joined. Nothing about the person's own access changes (no profile refresh).
 */
export async function asNewMembership<T extends { id: string }>(personId: string, operation: string, tooMany: string, work: () => Promise<T>): Promise<T> {
  return changeAccess(
    personId,
    operation,
    async () => {
      const profile = await readProfileRow(personId);
      if (profile?.status === "deleted") throw new AppError("forbidden", "This account has been deleted.");
      if (profile && profile.status !== "active")
        throw new AppError(
          "forbidden",
          profile.status === "pending" ? "Your account is waiting for an administrator's approval." : "This account is disabled.",
        );
      if ((await countMemberships(personId)) >= MAX_TEAMS_PER_PERSON) throw new AppError("conflict", tooMany);
      const team = await work();
      await untilListed(personId, team.id);
      return team;
    },
    { changed: () => false },
  );
}

/** The teams a person is in now: the index's rows, each confirmed by its member row when the index says the limit is reached (it may lag a removal). */
async function countMemberships(personId: string): Promise<number> {
  const listed = await readMemberships(personId);
  if (listed.length < MAX_TEAMS_PER_PERSON) return listed.length;
  const rows = await Promise.all(listed.map((m) => getItem(memberKey(m.teamId, personId), { consistent: true })));
  return rows.filter(Boolean).length;
}

async function untilListed(personId: string, teamId: string): Promise<void> {
  const until = Date.now() + LISTED_WITHIN_MS;
  for (let delay = 25; ; delay = Math.min(delay * 2, 400)) {
    if ((await readMemberships(personId)).some((m) => m.teamId === teamId)) return;
    if (Date.now() > until) {
      console.error("[teams] a new membership took longer than expected to show in the person's index");
      return;
    }
    await sleep(delay);
  }
}
