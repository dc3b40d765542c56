"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { BUTTON, CARD, DANGER_BUTTON, INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import { useApiCall, useHydrated } from "@/components/access/use-api-call";
import { CopyButton } from "@/components/ui/copy-button";
import type { InviteView } from "@/lib/teams/invites";
import { assignableBy, can, ROLE_LABELS, ROLES, type TeamRole } from "@/lib/teams/roles";
import type { MemberView } from "@/lib/teams/views";

interface Props {
  team: { slug: string; name: string; role: TeamRole };
  me: string;
  members: MemberView[];
  invites?: InviteView[];
  /** Team keys each member has seen (user id → count), for owners deciding on removal. */
  revealed: Record<string, number>;
  /** Team keys people who left have seen, not rotated since (owners only). */
  seenByFormer: number;
  /** The team requires rotating what a departing member saw, the old values working this long. */
  policy?: Grace;
}

const date = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const base = (slug: string) => `/api/teams/${encodeURIComponent(slug)}`;

/** Who is in the team and what they may do; invitations; leaving and deleting. Owners and admins see the controls their role allows. */
export function MembersPanel({ team, me, members, invites, revealed, seenByFormer, policy }: Props) {
  const owner = can(team.role, "manageTeam");
  const router = useRouter();
  const [removed, setRemoved] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="members" className="flex flex-col gap-3">
        <h2 id="members" className="text-xl font-semibold">
          Members
        </h2>
        <p
          role="status"
          className={
            removed
              ? "rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
              : "sr-only"
          }
        >
          {removed}
        </p>
        {owner && seenByFormer > 0 && <RotateSeenByFormer team={team} count={seenByFormer} />}
        <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
          {members.map((member) => (
            <MemberRow
              key={member.userId}
              team={team}
              member={member}
              me={member.userId === me}
              owner={owner}
              revealed={revealed[member.userId] ?? 0}
              {...(policy ? { policy } : {})}
              onRemoved={(message) => {
                setRemoved(message);
                router.refresh();
              }}
            />
          ))}
        </ul>
      </section>
      {owner && <DeparturePolicy team={team} {...(policy ? { policy } : {})} />}
      {invites && <Invitations team={team} invites={invites} />}
      <LeaveOrDelete team={team} owner={owner} {...(policy ? { policy } : {})} />
    </div>
  );
}

const GRACE = { none: "at once", "1h": "for 1 hour", "24h": "for 24 hours", "7d": "for 7 days" } as const;
type Grace = keyof typeof GRACE;
const GRACES = Object.keys(GRACE) as Grace[];
/** The grace periods no longer than `limit` (a required rotation can be made stricter, not looser). */
const upTo = (limit: Grace | undefined) => (limit ? GRACES.slice(0, GRACES.indexOf(limit) + 1) : GRACES);

/** Owners: whether every departure (leaving, or being removed) must rotate the team keys the person saw. */
function DeparturePolicy({ team, policy }: { team: Props["team"]; policy?: Grace }) {
  const id = useId();
  const save = useApiCall();
  const [on, setOn] = useState(policy !== undefined);
  const [grace, setGrace] = useState<Grace>(policy ?? "24h");
  const [saved, setSaved] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const result = await save.call(base(team.slug), { method: "PATCH", body: { rotateOnDeparture: on ? grace : null } });
    if (result.ok)
      setSaved(
        on
          ? `Saved: when someone leaves or is removed, the team keys they saw are rotated; the old values keep working ${GRACE[grace]}.`
          : "Saved: whoever removes someone decides whether to rotate what they saw.",
      );
  }
  return (
    <section aria-labelledby={`${id}-title`} className={`flex flex-col gap-3 p-5 ${CARD}`}>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        When someone leaves
      </h2>
      <form onSubmit={submit} className="flex flex-col gap-3 text-sm">
        <label className="flex items-start gap-2">
          <input type="checkbox" checked={on} onChange={(event) => setOn(event.target.checked)} className="mt-1" />
          <span>Always rotate the team keys a person has seen when they leave or are removed (each key gets a new value for your apps).</span>
        </label>
        <label className="flex flex-wrap items-center gap-2">
          <span>Old values keep working</span>
          <select value={grace} disabled={!on} onChange={(event) => setGrace(event.target.value as Grace)} className={`${INPUT} w-auto`}>
            {GRACES.map((value) => (
              <option key={value} value={value}>
                {GRACE[value]}
              </option>
            ))}
          </select>
        </label>
        <div>
          <button type="submit" className={BUTTON} disabled={save.pending}>
            {save.pending ? "Saving…" : "Save"}
          </button>
        </div>
        <p role="status" className={saved ? "text-emerald-800 dark:text-emerald-300" : "sr-only"}>
          {saved}
        </p>
        <ErrorAlert error={save.error} />
      </form>
    </section>
  );
}

function MemberRow({
  team,
  member,
  me,
  owner,
  revealed,
  policy,
  onRemoved,
}: {
  team: Props["team"];
  member: MemberView;
  me: boolean;
  owner: boolean;
  revealed: number;
  policy?: Grace;
  onRemoved: (message: string) => void;
}) {
  const id = useId();
  const role = useApiCall();
  const remove = useApiCall();
  const [removing, setRemoving] = useState(false);
  const [asked, setRotate] = useState(revealed > 0);
  // The team may require it: then always, and the old values work at most as long as it says.
  const rotate = asked || policy !== undefined;
  const [grace, setGrace] = useState<Grace>(policy ?? "24h");
  const who = member.name ?? member.email ?? member.userId;

  async function onRemove() {
    const result = await remove.call<{ revealed: { keyId: string; rotated: boolean }[]; rotation: { grace: Grace } }>(
      `${base(team.slug)}/members/${encodeURIComponent(member.userId)}?rotateRevealed=${rotate}&grace=${grace}`,
      { method: "DELETE" },
      { refresh: false },
    );
    if (!result.ok) return;
    const rotated = result.data.revealed.filter((r) => r.rotated).length;
    const kept = result.data.revealed.length - rotated;
    const keys = (n: number) => `${n} ${n === 1 ? "key" : "keys"}`;
    onRemoved(
      [
        `Removed ${who}.`,
        rotated > 0 &&
          `Rotated ${keys(rotated)} they saw: put the new values (under API keys above) into your apps; the old ones stop working ${result.data.rotation.grace === "none" ? "now" : `in ${GRACE[result.data.rotation.grace].slice("for ".length)}`}.`,
        kept > 0 && `${keys(kept)} they saw stay on record as seen by a former member: rotate them from the notice above when you're ready.`,
      ]
        .filter(Boolean)
        .join(" "),
    );
  }

  return (
    <li aria-label={`Member ${who}`} className="flex flex-col gap-2 px-4 py-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium break-all">
            {who}
            {me && <span className="ml-2 text-sm font-normal text-zinc-600 dark:text-zinc-400">(you)</span>}
          </p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {member.email && member.name ? `${member.email} · ` : ""}Joined {date.format(new Date(member.joinedAt))}
            {revealed > 0 && ` · has seen ${revealed} team ${revealed === 1 ? "key" : "keys"}`}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {owner ? (
            <>
              <label htmlFor={`${id}-role`} className="sr-only">
                Role of {who}
              </label>
              <select
                id={`${id}-role`}
                value={member.role}
                disabled={role.pending}
                onChange={(event) =>
                  void role.call(`${base(team.slug)}/members/${encodeURIComponent(member.userId)}`, { method: "PATCH", body: { role: event.target.value } })
                }
                className={`${INPUT} w-auto`}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
              {!me && (
                <button
                  type="button"
                  className={DANGER_BUTTON}
                  aria-expanded={removing}
                  aria-label={`Remove ${who} from the team…`}
                  onClick={() => setRemoving((open) => !open)}
                >
                  Remove
                </button>
              )}
            </>
          ) : (
            <span className="rounded bg-zinc-100 px-2 py-0.5 text-sm font-medium dark:bg-zinc-800">{member.role}</span>
          )}
        </div>
      </div>
      {removing && (
        <div role="group" aria-label={`Remove ${who}`} className="flex flex-col gap-2 rounded-lg bg-zinc-50 p-3 text-sm dark:bg-zinc-900">
          <label className="flex items-start gap-2">
            <input type="checkbox" checked={rotate} disabled={policy !== undefined} onChange={(event) => setRotate(event.target.checked)} className="mt-1" />
            <span>
              Rotate the {revealed || ""} team {revealed === 1 ? "key" : "keys"} {who} has seen: each gets a new value to put into your apps, and the old one
              stops working after the grace period.{policy !== undefined && " The team requires this."}
            </span>
          </label>
          <label className="flex flex-wrap items-center gap-2">
            <span>Old values keep working</span>
            <select value={grace} disabled={!rotate} onChange={(event) => setGrace(event.target.value as Grace)} className={`${INPUT} w-auto`}>
              {upTo(policy).map((value) => (
                <option key={value} value={value}>
                  {GRACE[value]}
                </option>
              ))}
            </select>
          </label>
          <div className="flex gap-2">
            <button type="button" className={DANGER_BUTTON} disabled={remove.pending} onClick={onRemove}>
              {remove.pending ? "Removing…" : `Remove ${who}`}
            </button>
            <button type="button" className={BUTTON} onClick={() => setRemoving(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorAlert error={role.error ?? remove.error} />
    </li>
  );
}

/** Keys people who left have seen: rotate them all (the old values keep working for 24 hours). */
function RotateSeenByFormer({ team, count }: { team: Props["team"]; count: number }) {
  const rotate = useApiCall();
  const keys = `${count} team ${count === 1 ? "key" : "keys"}`;
  return (
    <div
      role="status"
      className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>
        People who left the team have seen {keys} that {count === 1 ? "hasn't" : "haven't"} been rotated since. Rotating gives apps new values; the old ones
        keep working for 24 hours.
      </p>
      <div>
        <button
          type="button"
          className={BUTTON}
          disabled={rotate.pending}
          onClick={() => void rotate.call(`${base(team.slug)}/rotate-seen?grace=24h`, { method: "POST" })}
        >
          {rotate.pending ? "Rotating…" : `Rotate ${keys}`}
        </button>
      </div>
      <ErrorAlert error={rotate.error} />
    </div>
  );
}

function Invitations({ team, invites }: { team: Props["team"]; invites: InviteView[] }) {
  const id = useId();
  const hydrated = useHydrated();
  const send = useApiCall();
  const [link, setLink] = useState<Sent | null>(null);
  const roles = assignableBy(team.role).filter((r): r is Exclude<TeamRole, "owner"> => r !== "owner");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const result = await send.call<{ invite: InviteView; link: string; emailed: Emailed }>(`${base(team.slug)}/invites`, {
      method: "POST",
      body: { email: String(data.get("email") ?? ""), role: String(data.get("role") ?? "member") },
    });
    if (result.ok) {
      form.reset();
      setLink({ email: result.data.invite.email, url: result.data.link, emailed: result.data.emailed, resent: false });
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3">
      <h2 id={`${id}-title`} className="text-xl font-semibold">
        Invitations
      </h2>
      <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex flex-col gap-1 sm:w-72">
          <label htmlFor={`${id}-email`} className="text-sm font-medium">
            Email address
          </label>
          <input id={`${id}-email`} name="email" type="email" required autoComplete="off" className={INPUT} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-role`} className="text-sm font-medium">
            Role
          </label>
          <select id={`${id}-role`} name="role" defaultValue="member" className={`${INPUT} w-auto`}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r[0]!.toUpperCase() + r.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={send.pending || !hydrated} className={PRIMARY_BUTTON}>
          {send.pending ? "Inviting…" : "Invite"}
        </button>
      </form>
      <ul className="text-sm text-zinc-600 dark:text-zinc-400">
        {roles.map((r) => (
          <li key={r}>{ROLE_LABELS[r]}</li>
        ))}
      </ul>
      <ErrorAlert error={send.error} />
      {link && <InviteLink {...link} />}
      {invites.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No open invitations.</p>
      ) : (
        <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
          {invites.map((invite) => (
            <InviteRow key={invite.id} team={team} invite={invite} onResent={(url, emailed) => setLink({ email: invite.email, url, emailed, resent: true })} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Whether the invitation's email is on its way, or why not (the API's `emailed`). */
type Emailed = { queued: true } | { queued: false; problem: string };
interface Sent {
  email: string;
  url: string;
  emailed: Emailed;
  resent: boolean;
}

/** What happened to the invitation's email, and its link, shown once as a fallback: only its hash is kept. */
function InviteLink({ email, url, emailed, resent }: Sent) {
  return (
    <div role="status" className="flex flex-col gap-2 rounded-lg border border-brand-600/30 bg-brand-50 p-3 text-sm dark:border-zinc-700 dark:bg-zinc-950">
      {emailed.queued ? (
        <p>
          {resent ? `We re-sent the invitation to ` : `We emailed the invitation to `}
          <strong>{email}</strong>
          {resent ? `: the link in the earlier email no longer works.` : `.`}
          {` If it doesn't arrive, send them this link yourself. It works once, for that address, for 7 days, and isn't shown again (resend makes a new one).`}
        </p>
      ) : (
        <p>
          {`The invitation wasn't emailed (${emailed.problem.replace(/^Not sent: /, "").replace(/\.$/, "")}). Send this link to `}
          <strong>{email}</strong>
          {` yourself. It works once, for that address, for 7 days, and isn't shown again (resend makes a new one).`}
        </p>
      )}
      <span className="flex min-w-0 flex-wrap items-center gap-3 rounded-lg bg-zinc-900 px-3 py-1.5">
        <code aria-label={`Invitation link for ${email}`} className="min-w-0 flex-1 font-mono text-xs break-all text-zinc-100">
          {url}
        </code>
        <CopyButton text={url} label="Copy link" />
      </span>
    </div>
  );
}

function InviteRow({ team, invite, onResent }: { team: Props["team"]; invite: InviteView; onResent: (url: string, emailed: Emailed) => void }) {
  const resend = useApiCall();
  const revoke = useApiCall();
  return (
    <li aria-label={`Invitation for ${invite.email}`} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
      <div className="min-w-0">
        <p className="font-medium break-all">{invite.email}</p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {invite.role} · {invite.expired ? "expired" : `expires ${date.format(new Date(invite.expiresAt))}`}
          {invite.invitedBy && ` · invited by ${invite.invitedBy}`}
        </p>
      </div>
      <div className="flex gap-2">
        <button
          type="button"
          className={BUTTON}
          disabled={resend.pending}
          aria-label={`Resend the invitation to ${invite.email}`}
          onClick={async () => {
            const result = await resend.call<{ link: string; emailed: Emailed }>(`${base(team.slug)}/invites/${invite.id}/resend`, { method: "POST" });
            if (result.ok) onResent(result.data.link, result.data.emailed);
          }}
        >
          {resend.pending ? "Resending…" : "Resend"}
        </button>
        <button
          type="button"
          className={DANGER_BUTTON}
          disabled={revoke.pending}
          aria-label={`Revoke the invitation to ${invite.email}`}
          onClick={() => void revoke.call(`${base(team.slug)}/invites/${invite.id}`, { method: "DELETE" })}
        >
          {revoke.pending ? "Revoking…" : "Revoke"}
        </button>
      </div>
      <ErrorAlert error={resend.error ?? revoke.error} className="w-full" />
    </li>
  );
}

function LeaveOrDelete({ team, owner, policy }: { team: Props["team"]; owner: boolean; policy?: Grace }) {
  const router = useRouter();
  const leave = useApiCall();
  const remove = useApiCall();
  return (
    <section aria-labelledby="leave-team" className={`flex flex-col gap-3 p-5 ${CARD}`}>
      <h2 id="leave-team" className="text-lg font-semibold">
        Leave or delete
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Leaving ends your access to {team.name}&apos;s keys. A team always keeps an owner: its only owner makes someone else an owner first, or deletes the team
        once its keys are revoked and its subscriptions ended.
        {policy !== undefined &&
          ` The team keys you have seen will be rotated when you leave (the team requires it); their old values keep working ${GRACE[policy]}.`}
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={BUTTON}
          disabled={leave.pending}
          onClick={async () => {
            if (!window.confirm(`Leave ${team.name}?`)) return;
            const result = await leave.call(`${base(team.slug)}/leave`, { method: "POST" }, { refresh: false });
            if (result.ok) router.push("/teams");
          }}
        >
          {leave.pending ? "Leaving…" : "Leave team"}
        </button>
        {owner && (
          <button
            type="button"
            className={DANGER_BUTTON}
            disabled={remove.pending}
            onClick={async () => {
              if (!window.confirm(`Delete ${team.name}? Its members lose access to it.`)) return;
              const result = await remove.call(base(team.slug), { method: "DELETE" }, { refresh: false });
              if (result.ok) router.push("/teams");
            }}
          >
            {remove.pending ? "Deleting…" : "Delete team"}
          </button>
        )}
      </div>
      <ErrorAlert error={leave.error ?? remove.error} />
    </section>
  );
}
