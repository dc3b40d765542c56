"use client";

import { PROPAGATION } from "@/components/access/propagation";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { BUTTON, CARD } from "@/components/access/styles";
import { useApiCall } from "@/components/access/use-api-call";
import type { UserAction } from "@/lib/users";
import { ConfirmDialog } from "./confirm-dialog";
import { useAnnounce } from "./status-region";

export interface ActionTarget {
  userId: string;
  email: string | null;
  name: string | null;
  status: "active" | "pending" | "disabled" | "deleted";
  admin: boolean;
}

const RED_BUTTON =
  "focus-ring rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950";
const PLAIN_BUTTON = `${BUTTON} aria-disabled:cursor-not-allowed aria-disabled:opacity-60`;

const PENDING: Record<UserAction | "delete", string> = {
  disable: "Disabling…",
  enable: "Enabling…",
  approve: "Approving…",
  "grant-admin": "Granting…",
  "remove-admin": "Removing…",
  "revoke-sessions": "Revoking…",
  delete: "Deleting…",
};

/**
 * What an admin can do to one account. Each result is announced (and focused) in the page's
 * StatusRegion; the server's refusal (e.g. "You can't do that to your own account") shows in an alert.
 */
export function UserActions({ user, self }: { user: ActionTarget; self: boolean }) {
  const id = useId();
  const router = useRouter();
  const announce = useAnnounce();
  const { call, pending, error } = useApiCall();
  const [running, setRunning] = useState<UserAction | "delete" | null>(null);
  // Which section the last error belongs to, so the alert shows next to the control that failed.
  const [last, setLast] = useState<UserAction | "delete" | null>(null);
  const who = user.email ?? user.name ?? user.userId;
  const url = `/api/admin/users/${encodeURIComponent(user.userId)}`;
  const busy = pending || running !== null;

  const done: Record<UserAction, string> = {
    disable: `${who} is disabled: signed out everywhere, unable to sign in, and their API keys are off.`,
    enable: `${who} is enabled again: they can sign in and their API keys work.`,
    approve: `${who} is approved and can now create keys and subscribe.`,
    "grant-admin": `${who} is now an administrator.`,
    "remove-admin": `${who} is no longer an administrator.`,
    "revoke-sessions": `All of ${who}'s sessions and portal tokens have ended: they have to sign in again.`,
  };

  async function act(action: UserAction) {
    if (busy) return;
    setRunning(action);
    setLast(action);
    const result = await call(url, { method: "POST", body: { action } });
    setRunning(null);
    if (result.ok) announce(done[action]);
  }

  async function remove() {
    if (busy) return;
    setRunning("delete");
    setLast("delete");
    const result = await call(url, { method: "DELETE", body: { confirm: user.email } }, { refresh: false });
    if (result.ok) router.push(`/admin/users?deleted=${encodeURIComponent(user.email ?? "")}`);
    else setRunning(null);
  }

  const label = (action: UserAction | "delete", idle: string) => (running === action ? PENDING[action] : idle);
  const simple = (action: UserAction, idle: string) => (
    <button type="button" onClick={() => act(action)} aria-disabled={busy || undefined} className={PLAIN_BUTTON}>
      {label(action, idle)}
    </button>
  );

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby={`${id}-account`} className={`p-5 ${CARD}`}>
        <h2 id={`${id}-account`} className="text-lg font-semibold">
          Account actions
        </h2>
        {self && (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            This is your own account: another administrator has to disable it or take away its admin role.
          </p>
        )}
        <div className="mt-4 flex flex-wrap gap-2">
          {user.status === "pending" && simple("approve", "Approve")}
          {user.status === "disabled" ? (
            simple("enable", "Enable")
          ) : (
            <ConfirmDialog
              label="Disable"
              pendingLabel={PENDING.disable}
              pending={running === "disable"}
              disabled={busy}
              title={`Disable ${who}?`}
              confirmLabel="Disable account"
              triggerClassName={RED_BUTTON}
              onConfirm={() => act("disable")}
            >
              They are signed out everywhere and can&apos;t sign in, and their API keys stop working (apps get 403) until you enable the account again. Nothing
              is deleted.
            </ConfirmDialog>
          )}
          {user.admin ? (
            <ConfirmDialog
              label="Remove admin"
              pendingLabel={PENDING["remove-admin"]}
              pending={running === "remove-admin"}
              disabled={busy}
              title={`Remove ${who}'s admin role?`}
              confirmLabel="Remove admin"
              triggerClassName={RED_BUTTON}
              onConfirm={() => act("remove-admin")}
            >
              They lose access to the admin console on their next request. Their own keys and subscriptions stay as they are.
            </ConfirmDialog>
          ) : (
            <ConfirmDialog
              label="Grant admin"
              pendingLabel={PENDING["grant-admin"]}
              pending={running === "grant-admin"}
              disabled={busy}
              title={`Make ${who} an administrator?`}
              confirmLabel="Grant admin"
              danger={false}
              triggerClassName={PLAIN_BUTTON}
              onConfirm={() => act("grant-admin")}
            >
              They will be able to manage every user, registration, subscription requests and the catalog, and read the audit log.
            </ConfirmDialog>
          )}
          <ConfirmDialog
            label="Revoke all sessions"
            pendingLabel={PENDING["revoke-sessions"]}
            pending={running === "revoke-sessions"}
            disabled={busy}
            title={`Sign ${who} out everywhere?`}
            confirmLabel="Revoke sessions"
            triggerClassName={RED_BUTTON}
            onConfirm={() => act("revoke-sessions")}
          >
            Every portal session and sign-in session of theirs ends, and so do their portal tokens; they have to sign in again. Their API keys keep working.
          </ConfirmDialog>
        </div>
        <ErrorAlert error={last === "delete" ? null : error} className="mt-4" />
      </section>

      <section aria-labelledby={`${id}-danger`} className="rounded-xl border border-red-300 p-5 dark:border-red-900">
        <h2 id={`${id}-danger`} className="text-lg font-semibold text-red-700 dark:text-red-300">
          Delete user
        </h2>
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
          Deletes their API keys (apps using them get 403 {PROPAGATION.soon}), subscriptions, sessions and sign-in account. The audit log keeps their history.
          This can&apos;t be undone.
        </p>
        <div className="mt-4">
          {user.email ? (
            <ConfirmDialog
              label="Delete user…"
              pendingLabel={PENDING.delete}
              pending={running === "delete"}
              disabled={busy}
              title={`Delete ${who}?`}
              confirmLabel="Delete user"
              typeToConfirm={{ value: user.email, label: `Type ${user.email} to confirm` }}
              triggerClassName="focus-ring rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
              onConfirm={remove}
            >
              Their keys, subscriptions, sessions and sign-in account are deleted for good.
            </ConfirmDialog>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              This account has no email address, so its sign-in account can&apos;t be found to delete it.
            </p>
          )}
        </div>
        <ErrorAlert error={last === "delete" ? error : null} className="mt-4" />
      </section>
    </div>
  );
}
