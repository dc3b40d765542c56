import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";

vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));

/**
 * Team invitations by email (issue #22), through the real outbox and notifier against the
 * sandbox's table and SES mailbox: an invitation queues one email to the invited address, whose
 * link joins; a resend voids the old link and the email still queued with it; a revoke stops a
 * queued email; a suppressed address gets nothing; and the secret is never stored anywhere.
 */

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Person = { id: string; email: string };
interface Mail {
  subject: string;
  text: string;
  html: string;
  headers: { name: string; value: string }[];
}

describe("team invitations by email", () => {
  let env: Env;
  let teams: typeof import("@/lib/teams");
  let notifications: typeof import("@/lib/notifications");
  let runNotifier: typeof import("@/lib/notifications/notifier").runNotifier;
  let owner: Person;
  let team: import("@/lib/teams").Team;
  let n = 0;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv, { PORTICO_EMAIL_FROM: "notices@portico.example" });
    teams = await import("@/lib/teams");
    notifications = await import("@/lib/notifications");
    ({ runNotifier } = await import("@/lib/notifications/notifier"));
    owner = await registerUser(env, "invite-owner", { name: "Olga Owner" });
    team = await teams.createTeam(owner, { name: "Initech", slug: `initech-${process.pid}` });
  }, 60_000);
  afterAll(() => env?.stop());

  const mailbox = async (to: string): Promise<Mail[]> => {
    const body = (await (await fetch(`${env.sandbox.url}/_sandbox/ses/messages?to=${encodeURIComponent(to)}`)).json()) as { messages: Mail[] };
    return body.messages;
  };
  /** The invitation link in an email (the button's target, written out in the plain text too). */
  const linkIn = (mail: Mail) => {
    const found = /http:\/\/localhost:3000\/teams\/join\/open\?token=[\w.%-]+/.exec(mail.text)?.[0];
    expect(found, mail.text).toBeDefined();
    expect(mail.html.replaceAll("&amp;", "&")).toContain(found);
    return found!;
  };
  const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;
  const address = () => `invitee-${process.pid}-${++n}@example.com`;
  const invitationsIn = async () =>
    (await notifications.listDeliveries(team.id)).deliveries.filter((d) => d.type === "team.invited").map((d) => ({ ...d, noticeId: undefined }));
  /** Every item of the table, as stored. */
  async function wholeTable(): Promise<string[]> {
    const { db } = await import("@/lib/db/client");
    const { ScanCommand } = await import("@aws-sdk/lib-dynamodb");
    const items: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: env.seeded.table, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []).map((item) => JSON.stringify(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  it("queues one email to the invited address, naming the team, the inviter, the role and the expiry; its link joins", async () => {
    const invitee = await registerUser(env, "invitee");
    const { invite, link } = await teams.invite(team, { ...owner, name: "Olga Owner" }, invitee.email, "member");
    // Twice at once, then again: one email.
    await Promise.all([runNotifier(), runNotifier()]);
    await runNotifier();
    const mails = await mailbox(invitee.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toMatch(/^You're invited to join Initech on /);
    expect(mail.text).toContain(`Olga Owner (${owner.email}) invited ${invitee.email} to join the team Initech`);
    expect(mail.text).toMatch(/as a member/);
    expect(mail.text).toContain("Expires");
    expect(mail.text).toContain("If you weren't expecting this invitation, ignore this email");
    // Transactional: no unsubscribe headers or links; its own header names the notice.
    expect(mail.headers.map((h) => h.name)).toContain("X-Portico-Invitation");
    expect(mail.headers.map((h) => h.name)).not.toContain("List-Unsubscribe");
    expect(mail.text).not.toContain("Unsubscribe");
    // The emailed link is the one the inviter was shown, and it lands on the route that moves the token into a cookie.
    const emailed = linkIn(mail);
    expect(emailed).toBe(link);
    const wholeToken = tokenOf(emailed);
    const secret = wholeToken.split(".")[2]!;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    // Nowhere in the table: not in the invitation, the outbox row, the delivery, the audit log.
    const table = await wholeTable();
    expect(table.some((item) => item.includes(secret))).toBe(false);
    expect(table.some((item) => item.includes(invite.id) && item.includes("team.invited"))).toBe(true);
    // The team's delivery log shows it, to the invited address.
    expect(await invitationsIn()).toEqual([expect.objectContaining({ channel: "email", destination: invitee.email, state: "sent" })]);
    // The link joins.
    await expect(teams.acceptInvite(invitee, wholeToken)).resolves.toMatchObject({ team: { id: team.id }, role: "member" });
    expect((await teams.readMembers(team.id)).map((m) => m.userId)).toContain(invitee.id);
  });

  it("resend: the old link stops working, the email still queued with it isn't sent, and the new email carries the new link", async () => {
    const email = address();
    const first = await teams.invite(team, owner, email, "viewer");
    // Resent before the notifier ran: the first email is superseded.
    const second = await teams.resendInvite(team, owner, first.invite.id);
    expect(second.link).not.toBe(first.link);
    await runNotifier();
    await runNotifier();
    const mails = await mailbox(email);
    expect(mails).toHaveLength(1);
    expect(linkIn(mails[0]!)).toBe(second.link);
    const log = (await invitationsIn()).filter((d) => d.destination === email);
    expect(log.map((d) => `${d.state}${d.error ? `: ${d.error}` : ""}`).sort()).toEqual([
      "sent",
      "skipped: Superseded: the invitation was resent, and the newer email carries the link.",
    ]);
    await expect(teams.openInvite(tokenOf(first.link))).rejects.toMatchObject({ code: "not_found" });
    // Resent again after that email went out: a new email, and the link in the one before stops working.
    const third = await teams.resendInvite(team, owner, first.invite.id);
    await runNotifier();
    const again = await mailbox(email);
    expect(again).toHaveLength(2);
    expect(again.map(linkIn)).toEqual(expect.arrayContaining([second.link, third.link]));
    await expect(teams.openInvite(tokenOf(second.link))).rejects.toMatchObject({ code: "not_found" });
    await expect(teams.openInvite(tokenOf(third.link))).resolves.toMatchObject({ invite: { sent: 3 } });
  });

  it("revoke: a queued email isn't sent, and says why in the team's log", async () => {
    const email = address();
    const { invite } = await teams.invite(team, owner, email, "member");
    await teams.revokeInvite(team, invite.id);
    await runNotifier();
    expect(await mailbox(email)).toEqual([]);
    expect((await invitationsIn()).filter((d) => d.destination === email)).toEqual([
      expect.objectContaining({ state: "skipped", error: "The invitation was revoked, declined or accepted before it was sent." }),
    ]);
  });

  it("a suppressed address gets nothing (the inviter is told why), whether it bounced before the invitation or before its email went out", async () => {
    const { applySesEvent } = await import("@/lib/notifications/suppression");
    const bounce = (to: string) =>
      applySesEvent({
        eventType: "Bounce",
        bounce: { bounceType: "Permanent", bounceSubType: "General", feedbackId: `fb-${to}`, bouncedRecipients: [{ emailAddress: to }] },
      });
    const before = address();
    await bounce(before);
    expect(await notifications.emailedTo(before)).toEqual({ queued: false, problem: expect.stringMatching(/bounced/) });
    await teams.invite(team, owner, before, "member");
    // Suppressed after the notice was expanded (the delivery is due), before it was sent.
    const after = address();
    expect(await notifications.emailedTo(after)).toEqual({ queued: true });
    const { invite } = await teams.invite(team, owner, after, "member");
    const { queuedNotices } = await import("@/lib/outbox/queue");
    const { expandNotice } = await import("@/lib/notifications/expand");
    const row = (await queuedNotices(500)).find((r) => r.notice.type === "team.invited" && r.notice.data.inviteId === invite.id)!;
    await expandNotice(row.notice, new Date());
    await bounce(after);
    await runNotifier();
    expect(await mailbox(before)).toEqual([]);
    expect(await mailbox(after)).toEqual([]);
    const log = await invitationsIn();
    for (const email of [before, after])
      expect(log.filter((d) => d.destination === email)).toEqual([
        expect.objectContaining({ state: "skipped", error: "Not sent: mail to this address bounced or was reported as spam." }),
      ]);
  });

  it("a renamed team's email names it as it is now; a deleted team's queued email isn't sent", async () => {
    const email = address();
    await teams.invite(team, owner, email, "admin");
    const renamed = await teams.renameTeam(team, "Initrode");
    await runNotifier();
    const [mail] = await mailbox(email);
    expect(mail!.subject).toContain("Initrode");
    expect(mail!.text).toMatch(/as an admin/);
    team = renamed;

    const other = await teams.createTeam(owner, { name: "Gone Ltd", slug: `gone-${process.pid}` });
    const lost = address();
    await teams.invite(other, owner, lost, "member");
    await teams.deleteTeam(other);
    await runNotifier();
    expect(await mailbox(lost)).toEqual([]);
  });
});

describe("the invitation email's content", () => {
  const SITE = "https://portal.example.com";
  const JOIN = `${SITE}/teams/join/open?token=team_abc.def.ghi`;
  const context = { portalName: "Acme APIs", siteUrl: SITE, brandColor: "#3b5bdb", joinUrl: JOIN };
  const notice = (data: Partial<import("@/lib/outbox/events").NoticeData<"team.invited">> = {}) => ({
    id: "audit-1",
    type: "team.invited" as const,
    userId: "team_0123456789abcdef0123",
    at: "2026-12-07T09:30:00.000Z",
    data: {
      inviteId: "0123456789abcdef",
      sent: 1,
      email: "new@example.net",
      role: "viewer" as const,
      teamName: "Globex",
      invitedBy: { name: null, email: "boss@globex.example" },
      expiresAt: "2026-12-14T09:30:00.000Z",
      ...data,
    },
  });

  it("names the team in the subject and says who, as what, until when; its one button is the join link", async () => {
    const { renderInvitationEmail } = await import("@/lib/notifications/email");
    const email = await renderInvitationEmail(notice(), context);
    expect(email.subject).toBe("You're invited to join Globex on Acme APIs");
    for (const fact of ["boss@globex.example invited new@example.net to join the team Globex on Acme APIs as a viewer", "14 Dec 2026, 09:30 UTC"])
      expect(email.text).toContain(fact);
    expect(email.text).toContain("weren't expecting this invitation");
    const targets = [...email.html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
    expect(targets).toEqual([JOIN]);
  });

  it("keeps hostile team and inviter names to escaped text, never a link, markup or a second header line", async () => {
    const { renderInvitationEmail } = await import("@/lib/notifications/email");
    const hostile = '<script>alert(1)</script>"><a href="https://evil.example">x</a>\r\nBcc: victim@example.com\u202E';
    const email = await renderInvitationEmail(notice({ teamName: hostile, invitedBy: { name: hostile, email: hostile } }), context);
    expect(email.html).not.toMatch(/<script|href="https:\/\/evil/);
    expect(email.html).toContain("&lt;script&gt;");
    expect(email.subject).not.toMatch(/[\r\n\u202E]/);
    expect([...email.html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"))).toEqual([JOIN]);
  });

  it("is not an account's notice: the generic renderer refuses it", async () => {
    const { renderNoticeEmail } = await import("@/lib/notifications/email");
    await expect(
      renderNoticeEmail(notice() as import("@/lib/outbox/events").Notice, { ...context, unsubscribeUrl: SITE, preferencesUrl: SITE }),
    ).rejects.toThrow(/renderInvitationEmail/);
  });
});
