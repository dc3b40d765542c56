import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";

vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));

/**
 * Joining teams against the person's other changes (issue #22 review): creating teams and accepting
 * invitations at once never takes anyone past MAX_TEAMS_PER_PERSON, and accepting an invitation
 * while the account is being deleted never leaves a deleted account in a team — whichever wins.
 */

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Person = { id: string; email: string };

describe("memberships under the person's lease", () => {
  let env: Env;
  let teams: typeof import("@/lib/teams");
  let host: Person;
  let n = 0;
  const slug = (label: string) => `${label}-${process.pid}-${++n}`;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    teams = await import("@/lib/teams");
    host = await registerUser(env, "race-host");
  }, 60_000);
  afterAll(() => env?.stop());

  /** A team of the host's with an invitation for `who`, and its token. */
  async function invitation(who: Person) {
    const team = await teams.createTeam(host, { name: `Team ${n}`, slug: slug("race") });
    const { link } = await teams.invite(team, host, who.email, "member");
    return { team, token: new URL(link).searchParams.get("token")! };
  }

  it("creating teams and accepting invitations at once never exceed the limit", async () => {
    const person = await registerUser(env, "collector");
    const max = teams.MAX_TEAMS_PER_PERSON;
    // One slot left.
    for (let i = 0; i < max - 1; i++) await teams.createTeam(person, { name: `Own ${i}`, slug: slug("own") });
    const invitations = [];
    for (let i = 0; i < 3; i++) invitations.push(await invitation(person));
    const results = await Promise.allSettled([
      ...[0, 1, 2].map(() => teams.createTeam(person, { name: "One more", slug: slug("more") })),
      ...invitations.map(({ token }) => teams.acceptInvite(person, token)),
    ]);
    const done = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(done).toHaveLength(1);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "conflict", message: expect.stringContaining(`${max} teams, the most allowed`) });
    expect(await teams.readMemberships(person.id)).toHaveLength(max);
    // Full: the next one is refused too, and nothing was half made.
    await expect(teams.createTeam(person, { name: "Late", slug: slug("late") })).rejects.toMatchObject({ code: "conflict" });
    for (const { team } of invitations) expect(await teams.teamViolations(team.id, [person.id])).toEqual([]);
  }, 120_000);

  /** Deleting an account as the account route does: leave every team, then remove everything. */
  const deleteAccount = async (who: Person) => {
    await teams.leaveAllTeams(who.id);
    await env.lib.removeAccount({ ...who, userPoolId: env.seeded.cognito.userPoolId });
  };
  const status = async (who: Person) => (await import("@/lib/db/profiles")).readProfileRow(who.id).then((p) => p?.status);
  const isMember = async (teamId: string, who: Person) => (await teams.readMembers(teamId)).some((m) => m.userId === who.id);

  it("an invitation accepted after the account left its teams, before it was removed: the removal is refused, nothing deleted", async () => {
    const person = await registerUser(env, "joins-late");
    const { team, token } = await invitation(person);
    await teams.leaveAllTeams(person.id);
    await teams.acceptInvite(person, token);
    await expect(env.lib.removeAccount({ ...person, userPoolId: env.seeded.cognito.userPoolId })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("joined a team while it was being deleted"),
    });
    expect(await status(person)).toBe("active");
    expect(await isMember(team.id, person)).toBe(true);
    // Trying again leaves the team first, and then the account goes.
    await deleteAccount(person);
    expect(await status(person)).toBe("deleted");
    expect(await isMember(team.id, person)).toBe(false);
  });

  it("an invitation accepted once the account is deleted is refused", async () => {
    const person = await registerUser(env, "joins-after");
    const { team, token } = await invitation(person);
    await deleteAccount(person);
    await expect(teams.acceptInvite(person, token)).rejects.toMatchObject({ code: "forbidden" });
    expect(await isMember(team.id, person)).toBe(false);
  });

  it("accepting and deleting at once: never a deleted account that is a member", async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const person = await registerUser(env, `race-${round}`);
      const { team, token } = await invitation(person);
      // Staggered a little differently each round, so either may get the person's lease first.
      const [accepted, deleted] = await Promise.allSettled([
        new Promise((resolve) => setTimeout(resolve, round * 7)).then(() => teams.acceptInvite(person, token)),
        deleteAccount(person),
      ]);
      const gone = (await status(person)) === "deleted";
      const member = await isMember(team.id, person);
      expect({ round, gone, member }).not.toMatchObject({ gone: true, member: true });
      // The two answers agree with what happened.
      if (gone) expect(deleted.status).toBe("fulfilled");
      if (member) expect(accepted.status).toBe("fulfilled");
      expect(await teams.readMemberships(person.id)).toHaveLength(member ? 1 : 0);
      expect(await teams.teamViolations(team.id, [person.id])).toEqual([]);
      outcomes.add(`${accepted.status}/${deleted.status}`);
    }
    // Every outcome seen is one of the allowed ones.
    for (const outcome of outcomes) expect(["fulfilled/rejected", "rejected/fulfilled", "fulfilled/fulfilled"]).toContain(outcome);
  }, 120_000);
});
