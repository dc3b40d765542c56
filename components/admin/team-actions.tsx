"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { PROPAGATION } from "@/components/access/propagation";
import { ErrorAlert } from "@/components/access/error-alert";
import { BUTTON, CARD, INPUT } from "@/components/access/styles";
import { useApiCall } from "@/components/access/use-api-call";
import type { TeamRole } from "@/lib/teams/roles";
import { ConfirmDialog } from "./confirm-dialog";
import { useAnnounce } from "./status-region";
import { SELECT } from "./ui";

export interface TeamActionTarget {
  id: string;
  slug: string;
  name: string;
  disabled: boolean;
  members: { userId: string; email: string | null; name: string | null; role: TeamRole }[];
  keys: number;
  subscriptions: number;
  marketplace: boolean;
}

type Action = "disable" | "enable" | "owner" | "delete";

const RED_BUTTON =
  "focus-ring rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950";
const PLAIN_BUTTON = `${BUTTON} aria-disabled:cursor-not-allowed aria-disabled:opacity-60`;
const PENDING: Record<Action, string> = { disable: "Disabling…", enable: "Enabling…", owner: "Making owner…", delete: "Deleting…" };
/** The hand-over select's choice for someone outside the team. */
const BY_EMAIL = "__email";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What an admin can do to one team: disable or enable it, make someone an owner (a member, or any
 * registered person by email), delete it. Results are announced (and focused) in the page's
 * StatusRegion; the server's refusal shows in an alert next to the control that failed.
 */
export function TeamActions({ team }: { team: TeamActionTarget }) {
  const id = useId();
  const router = useRouter();
  const announce = useAnnounce();
  const { call, pending, error } = useApiCall();
  const [running, setRunning] = useState<Action | null>(null);
  const [last, setLast] = useState<Action | null>(null);
  const candidates = team.members.filter((m) => m.role !== "owner");
  const [choice, setChoice] = useState<string>(candidates.length ? "" : BY_EMAIL);
  const [email, setEmail] = useState("");
  const url = `/api/admin/teams/${encodeURIComponent(team.id)}`;
  const busy = pending || running !== null;
  const who = (m: TeamActionTarget["members"][number]) => m.email ?? m.name ?? m.userId;
  const chosen = choice === BY_EMAIL ? (email.trim() ? { email: email.trim() } : null) : choice ? { userId: choice } : null;
  const picked = candidates.find((m) => m.userId === choice);
  const chosenLabel = choice === BY_EMAIL ? email.trim() : picked ? who(picked) : "";

  async function run(action: Action, request: { url: string; method: string; body: unknown }, done: string) {
    if (busy) return;
    setRunning(action);
    setLast(action);
    const result = await call(request.url, { method: request.method, body: request.body });
    setRunning(null);
    if (result.ok) announce(done);
    return result.ok;
  }

  async function appoint() {
    if (!chosen) return;
    const ok = await run("owner", { url: `${url}/owners`, method: "POST", body: chosen }, `${chosenLabel} is now an owner of ${team.name}.`);
    if (ok) {
      setChoice(BY_EMAIL);
      setEmail("");
    }
  }

  async function remove() {
    if (busy) return;
    setRunning("delete");
    setLast("delete");
    const result = await call(url, { method: "DELETE", body: { confirm: team.slug } }, { refresh: false });
    if (result.ok) router.push(`/admin/teams?deleted=${encodeURIComponent(team.slug)}`);
    else setRunning(null);
  }

  const errorFor = (action: Action | Action[]) => ([action].flat().includes(last as Action) ? error : null);

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby={`${id}-standing`} className={`p-5 ${CARD}`}>
        <h2 id={`${id}-standing`} className="text-lg font-semibold">
          Team actions
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {team.disabled
            ? "Disabled: its keys are off and its members can only look at it."
            : "Disabling turns its keys off and stops its members changing anything, without deleting it."}
        </p>
        <div className="mt-4 flex flex-wrap gap-2">
          {team.disabled ? (
            <ConfirmDialog
              label="Enable team"
              pendingLabel={PENDING.enable}
              pending={running === "enable"}
              disabled={busy}
              title={`Enable ${team.name}?`}
              confirmLabel="Enable team"
              danger={false}
              triggerClassName={PLAIN_BUTTON}
              onConfirm={() =>
                run("enable", { url, method: "POST", body: { action: "enable" } }, `${team.name} is enabled again: its keys work and its members can act.`)
              }
            >
              Its keys work again ({PROPAGATION.soon}), except those whose time ran out meanwhile, and its owners and admins can change its keys, subscriptions
              and members again.
            </ConfirmDialog>
          ) : (
            <ConfirmDialog
              label="Disable team"
              pendingLabel={PENDING.disable}
              pending={running === "disable"}
              disabled={busy}
              title={`Disable ${team.name}?`}
              confirmLabel="Disable team"
              triggerClassName={RED_BUTTON}
              onConfirm={() =>
                run(
                  "disable",
                  { url, method: "POST", body: { action: "disable" } },
                  `${team.name} is disabled: its keys are off and its members can't change anything.`,
                )
              }
            >
              Its {plural(team.keys, "API key")} stop working (apps get 403 {PROPAGATION.soon}) and its members can no longer change its keys, subscriptions,
              members or invitations, until you enable it again. They can still see it. Nothing is deleted.
            </ConfirmDialog>
          )}
        </div>
        <ErrorAlert error={errorFor(["disable", "enable"])} className="mt-4" />
      </section>

      <section aria-labelledby={`${id}-owner`} className={`p-5 ${CARD}`}>
        <h2 id={`${id}-owner`} className="text-lg font-semibold">
          Make someone an owner
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          For a team whose owner is gone, or before deleting a person who alone owns it. The current owners stay owners.
        </p>
        <div className="mt-4 flex flex-col gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-who`} className="text-sm font-medium">
              New owner
            </label>
            <select id={`${id}-who`} value={choice} onChange={(event) => setChoice(event.target.value)} className={`${SELECT} w-full`}>
              {candidates.length > 0 && (
                <option value="" disabled>
                  Choose a member…
                </option>
              )}
              {candidates.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {`${who(m)} (${m.role})`}
                </option>
              ))}
              <option value={BY_EMAIL}>Someone else, by email address…</option>
            </select>
          </div>
          {choice === BY_EMAIL && (
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-email`} className="text-sm font-medium">
                Email address of their account
              </label>
              <input
                id={`${id}-email`}
                type="email"
                autoComplete="off"
                spellCheck={false}
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                aria-describedby={`${id}-email-hint`}
                className={INPUT}
              />
              <p id={`${id}-email-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
                They need an active portal account; they join the team as an owner.
              </p>
            </div>
          )}
          <div>
            <ConfirmDialog
              label="Make owner…"
              pendingLabel={PENDING.owner}
              pending={running === "owner"}
              disabled={busy || !chosen}
              title={`Make ${chosenLabel || "them"} an owner of ${team.name}?`}
              confirmLabel="Make owner"
              danger={false}
              triggerClassName={PLAIN_BUTTON}
              onConfirm={appoint}
            >
              They can then manage the team&apos;s members, keys and subscriptions, and delete it. The team&apos;s current owners stay owners.
            </ConfirmDialog>
            {!chosen && (
              <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
                {choice === BY_EMAIL ? "Enter their email address first." : "Choose a member first."}
              </p>
            )}
          </div>
        </div>
        <ErrorAlert error={errorFor("owner")} className="mt-4" />
      </section>

      <section aria-labelledby={`${id}-danger`} className="rounded-xl border border-red-300 p-5 dark:border-red-900">
        <h2 id={`${id}-danger`} className="text-lg font-semibold text-red-700 dark:text-red-300">
          Delete team
        </h2>
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
          Deletes its {plural(team.keys, "API key")} (apps using them get 403 {PROPAGATION.soon}), ends its {plural(team.subscriptions, "subscription")} and
          removes its {plural(team.members.length, "member")}. The audit log keeps its history and its slug stays taken. This can&apos;t be undone.
        </p>
        <div className="mt-4">
          <ConfirmDialog
            label="Delete team…"
            pendingLabel={PENDING.delete}
            pending={running === "delete"}
            disabled={busy}
            title={`Delete ${team.name}?`}
            confirmLabel="Delete team"
            typeToConfirm={{ value: team.slug, label: `Type ${team.slug} to confirm` }}
            triggerClassName="focus-ring rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
            onConfirm={remove}
          >
            Its keys, subscriptions, members and invitations are deleted for good.
            {team.marketplace &&
              " A plan bought on AWS Marketplace for it is not cancelled there: the buyer cancels it in AWS Marketplace, or links the purchase to another account."}
          </ConfirmDialog>
        </div>
        <ErrorAlert error={errorFor("delete")} className="mt-4" />
      </section>
    </div>
  );
}
