import type { NoticeData } from "../../outbox/events";
import { ROLE_LABELS } from "../../teams/roles";
import { clean, formatDateTime } from "./format";
import { contextHref, Facts, P, type LayoutContext } from "./layout";
import type { NoticeContent } from "./notices";

/**
 * The email a team invitation sends to the address invited: who invited them, to which team and
 * as what, until when, and the button. The button's link is worked out when the email is sent
 * (lib/teams/invite-link.ts); nothing in the notice is a link. Everything about the team and the
 * inviter is typed by people, so it is cleaned and shown as text only.
 */

export interface InvitationContext extends Omit<LayoutContext, "team" | "recipientName"> {
  /** The invitation's link, as the notifier worked it out: the only link besides the portal's own. */
  joinUrl: string;
}

const ARTICLE = { admin: "an", member: "a", viewer: "a" } as const;

/** Who invited them: "Ana Silva (ana@acme.example)", or whichever of the two is known. */
function inviterOf(invitedBy: NoticeData<"team.invited">["invitedBy"]): string {
  const name = invitedBy.name ? clean(invitedBy.name, 60) : "";
  const email = invitedBy.email ? clean(invitedBy.email, 254) : "";
  if (name && email) return `${name} (${email})`;
  return name || email || "A team owner";
}

export function invitationContent(d: NoticeData<"team.invited">, context: InvitationContext): NoticeContent & { footer: string } {
  const team = clean(d.teamName, 80);
  const portal = clean(context.portalName, 80);
  const inviter = inviterOf(d.invitedBy);
  const address = clean(d.email, 254);
  const expires = formatDateTime(d.expiresAt);
  // "Member: uses the team's keys and sees usage" → "uses the team's keys and sees usage".
  const can = ROLE_LABELS[d.role].replace(/^[^:]*:\s*/, "");
  return {
    subject: `You're invited to join ${clean(d.teamName, 60)} on ${clean(context.portalName, 40)}`,
    preview: `${inviter} invited you as ${ARTICLE[d.role]} ${d.role}. The invitation expires on ${expires}.`,
    heading: `Join ${team} on ${portal}`,
    body: (
      <>
        <P>{`${inviter} invited ${address} to join the team ${team} on ${portal} as ${ARTICLE[d.role]} ${d.role} (${can}).`}</P>
        <Facts
          rows={[
            ["Team", team],
            ["Role", d.role[0]!.toUpperCase() + d.role.slice(1)],
            ["Invited by", inviter],
            ["For", address],
            ["Expires", expires],
          ]}
        />
        <P>
          {`The button works for ${address} only: sign in with that address, or create an account with it if you don't have one yet, then accept. It expires on ${expires}.`}
        </P>
        <P muted>If you weren&apos;t expecting this invitation, ignore this email: nothing happens unless you accept it.</P>
      </>
    ),
    action: { label: `Join ${clean(d.teamName, 40)}`, href: contextHref(context.joinUrl) },
    footer: `You're receiving this because ${inviter} invited this address to a team on ${portal}. You won't hear about it again unless the invitation is resent.`,
  };
}
