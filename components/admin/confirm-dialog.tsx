"use client";

import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { BUTTON, INPUT } from "@/components/access/styles";

/**
 * A button that opens a native modal <dialog> asking to confirm (Escape or Cancel backs out, and
 * focus returns to the button). With `typeToConfirm`, the confirm button stays disabled until
 * that text is typed. The dialog closes before `onConfirm` runs: the button shows the work in
 * progress and the caller reports the outcome (status message or alert).
 */
export function ConfirmDialog({
  label,
  ariaLabel,
  pendingLabel,
  pending = false,
  disabled = false,
  title,
  children,
  confirmLabel,
  dismissLabel = "Cancel",
  danger = true,
  typeToConfirm,
  triggerClassName,
  onConfirm,
}: {
  label: string;
  ariaLabel?: string;
  pendingLabel?: string;
  /** The work this button starts is under way: show `pendingLabel`. */
  pending?: boolean;
  /** Something else is under way: the button says so (aria-disabled) and doesn't open. */
  disabled?: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  dismissLabel?: string;
  danger?: boolean;
  typeToConfirm?: { value: string; label: string };
  triggerClassName: string;
  onConfirm: () => void;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const matches = !typeToConfirm || typed.trim().toLowerCase() === typeToConfirm.value.toLowerCase();

  function open() {
    if (pending || disabled) return;
    setTyped("");
    dialog.current?.showModal();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    dialog.current?.close();
    onConfirm();
  }

  return (
    <>
      <button
        type="button"
        onClick={open}
        aria-disabled={pending || disabled || undefined}
        aria-haspopup="dialog"
        {...(ariaLabel ? { "aria-label": ariaLabel } : {})}
        className={triggerClassName}
      >
        {pending && pendingLabel ? pendingLabel : label}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form onSubmit={submit} className="flex flex-col gap-4 p-5">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            {title}
          </h2>
          <div id={`${id}-body`} className="text-sm text-zinc-700 dark:text-zinc-300">
            {children}
          </div>
          {typeToConfirm && (
            <div className="text-sm">
              <label htmlFor={`${id}-confirm`} className="block font-medium">
                {typeToConfirm.label}
              </label>
              <input
                id={`${id}-confirm`}
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                className={`${INPUT} mt-1`}
              />
            </div>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            {/* showModal() focuses the first control: the text field, else Cancel (the safe choice). */}
            <button type="button" onClick={() => dialog.current?.close()} className={BUTTON}>
              {dismissLabel}
            </button>
            <button
              type="submit"
              disabled={!matches}
              className={
                danger
                  ? "focus-ring rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-60"
                  : "focus-ring rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60"
              }
            >
              {confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
