"use client";

import { useActionState, type ReactNode } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import type { ActionState } from "@/lib/api/action";

/** A form that posts to a server action (`withAction`) and shows the message it sends back. */
export function ActionForm({
  action,
  children,
  className,
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  children: ReactNode;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} aria-busy={pending} className={className}>
      {children}
      <ErrorAlert error={state.error ?? null} className="mt-2" />
    </form>
  );
}
