"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { BUTTON, INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import { useApiCall, useHydrated } from "@/components/access/use-api-call";
import { ADMIN_MAX_LENGTH, type RegistrationMode } from "@/lib/users/input-rules";
import { ConfirmDialog } from "./confirm-dialog";
import { useAnnounce } from "./status-region";

export const MODES: { value: RegistrationMode; label: string; help: string }[] = [
  { value: "open", label: "Open", help: "Anyone can register and start using the APIs right away." },
  { value: "invite", label: "Invite-only", help: "Only people you invite can register; the sign-up page is closed to everyone else." },
  { value: "approval", label: "Approval", help: "Anyone can register, but can't create keys or subscribe until an administrator approves the account." },
];

const DISABLED = "aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

/**
 * Who may join: a radio group saved with one button (arrowing through the radios changes nothing).
 * `locked`: the user pool lets only admins create accounts, so invite-only is the only mode.
 */
export function RegistrationModeForm({ mode, locked = false }: { mode: RegistrationMode; locked?: boolean }) {
  const id = useId();
  const hydrated = useHydrated();
  const announce = useAnnounce();
  const { call, pending, error } = useApiCall();
  const [selected, setSelected] = useState<RegistrationMode>(mode);
  const changed = selected !== mode;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!changed || pending) return;
    const result = await call<{ mode: RegistrationMode }>("/api/admin/registration", { method: "PUT", body: { mode: selected } });
    if (result.ok) announce(`Registration mode is now “${MODES.find((m) => m.value === result.data.mode)?.label ?? result.data.mode}”.`);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      {locked && (
        <p id={`${id}-locked`} data-testid="registration-locked" className="text-sm text-zinc-700 dark:text-zinc-300">
          This portal&apos;s user pool lets only administrators create accounts (the stage setting <code>auth.selfSignUp</code> is <code>false</code>), so it is
          invite-only: nobody can sign themselves up, here or on the sign-in pages.
        </p>
      )}
      <fieldset disabled={locked} aria-describedby={locked ? `${id}-locked` : undefined}>
        <legend className="sr-only">Registration mode</legend>
        <div className="flex flex-col gap-2">
          {MODES.map((m) => (
            <label
              key={m.value}
              className="flex cursor-pointer items-start gap-3 rounded-lg border border-zinc-200 p-3 has-disabled:cursor-not-allowed has-disabled:opacity-60 has-checked:border-brand-600 has-checked:bg-brand-50 dark:border-zinc-800 dark:has-checked:border-brand-500 dark:has-checked:bg-zinc-900"
            >
              <input
                type="radio"
                name="mode"
                value={m.value}
                checked={selected === m.value}
                onChange={() => setSelected(m.value)}
                // The name alone (the whole card is the label, so the explanation is clickable too).
                aria-labelledby={`${id}-${m.value}-name`}
                aria-describedby={`${id}-${m.value}`}
                className="focus-ring mt-1 accent-brand-600"
              />
              <span>
                <span id={`${id}-${m.value}-name`} className="font-medium">
                  {m.label}
                  {m.value === mode && <span className="ml-2 text-xs font-normal text-zinc-600 dark:text-zinc-400">(current)</span>}
                </span>
                <span id={`${id}-${m.value}`} className="block text-sm text-zinc-600 dark:text-zinc-400">
                  {m.help}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={!hydrated || locked} aria-disabled={!changed || pending || undefined} className={`${PRIMARY_BUTTON} ${DISABLED}`}>
          {pending ? "Saving…" : "Save registration mode"}
        </button>
        {changed && !pending && <span className="text-sm text-zinc-600 dark:text-zinc-400">Not saved yet</span>}
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}

/** Cognito e-mails the person a temporary password; they become a user when they first sign in. */
export function InviteForm() {
  const id = useId();
  const hydrated = useHydrated();
  const announce = useAnnounce();
  const { call, pending, error } = useApiCall();
  const form = useRef<HTMLFormElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const email = String(data.get("email") ?? "").trim();
    const name = String(data.get("name") ?? "").trim();
    const result = await call("/api/admin/invites", { method: "POST", body: { email, ...(name ? { name } : {}) } });
    if (result.ok) {
      form.current?.reset();
      announce(`Invitation sent to ${email.toLowerCase()}.`);
    }
  }

  return (
    <form ref={form} onSubmit={submit} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-60">
          <label htmlFor={`${id}-email`} className="block text-sm font-medium">
            Email
          </label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            required
            maxLength={ADMIN_MAX_LENGTH.email}
            autoComplete="off"
            spellCheck={false}
            className={`${INPUT} mt-1`}
          />
        </div>
        <div className="min-w-0 flex-1 basis-48">
          <label htmlFor={`${id}-name`} className="block text-sm font-medium">
            Name <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional)</span>
          </label>
          <input id={`${id}-name`} name="name" maxLength={ADMIN_MAX_LENGTH.name} autoComplete="off" className={`${INPUT} mt-1`} />
        </div>
        <button type="submit" disabled={!hydrated} aria-disabled={pending || undefined} className={`${PRIMARY_BUTTON} ${DISABLED}`}>
          {pending ? "Sending…" : "Send invitation"}
        </button>
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}

/** Resend or cancel one pending invitation. */
export function InviteActions({ email }: { email: string }) {
  const announce = useAnnounce();
  const resend = useApiCall();
  const cancel = useApiCall();
  const url = `/api/admin/invites/${encodeURIComponent(email)}`;
  const busy = resend.pending || cancel.pending;

  async function onResend() {
    if (busy) return;
    const result = await resend.call(url, { method: "POST" });
    if (result.ok) announce(`Invitation sent to ${email} again.`);
  }

  async function onCancel() {
    if (busy) return;
    const result = await cancel.call(url, { method: "DELETE" });
    if (result.ok) announce(`Invitation to ${email} cancelled.`);
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={onResend}
          aria-disabled={busy || undefined}
          aria-label={`Resend invitation to ${email}`}
          className={`${BUTTON} ${DISABLED}`}
        >
          {resend.pending ? "Resending…" : "Resend"}
        </button>
        <ConfirmDialog
          label="Cancel"
          ariaLabel={`Cancel invitation to ${email}`}
          pendingLabel="Cancelling…"
          pending={cancel.pending}
          disabled={busy}
          title={`Cancel the invitation to ${email}?`}
          confirmLabel="Cancel invitation"
          dismissLabel="Keep it"
          triggerClassName={`focus-ring rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950 ${DISABLED}`}
          onConfirm={onCancel}
        >
          Their temporary password stops working and the unused sign-in account is deleted. You can invite them again later.
        </ConfirmDialog>
      </div>
      <ErrorAlert error={resend.error ?? cancel.error} />
    </div>
  );
}

/** Lets an account that registered in approval mode create keys and subscribe. */
export function ApproveUserButton({ userId, email }: { userId: string; email: string }) {
  const announce = useAnnounce();
  const { call, pending, error } = useApiCall();

  async function approve() {
    if (pending) return;
    const result = await call(`/api/admin/users/${encodeURIComponent(userId)}`, { method: "POST", body: { action: "approve" } });
    if (result.ok) announce(`${email} is approved and can now create keys and subscribe.`);
  }

  return (
    <div className="flex flex-col items-start gap-2">
      <button type="button" onClick={approve} aria-disabled={pending || undefined} aria-label={`Approve ${email}`} className={`${PRIMARY_BUTTON} ${DISABLED}`}>
        {pending ? "Approving…" : "Approve"}
      </button>
      <ErrorAlert error={error} />
    </div>
  );
}
