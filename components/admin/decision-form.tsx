"use client";

import { useId, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { DANGER_BUTTON, INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import { useApiCall, useHydrated } from "@/components/access/use-api-call";
import { ADMIN_MAX_LENGTH } from "@/lib/users/input-rules";
import { useAnnounce } from "./status-region";

type Decision = "approve" | "reject";

const DISABLED = "aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

/** Approve or reject one subscription request, with an optional reason the user sees on their dashboard. */
export function DecisionForm({ userId, planId, productName, who }: { userId: string; planId: string; productName: string; who: string }) {
  const id = useId();
  const hydrated = useHydrated();
  const announce = useAnnounce();
  const { call, pending, error } = useApiCall();
  const [reason, setReason] = useState("");
  const [deciding, setDeciding] = useState<Decision | null>(null);

  async function decide(decision: Decision) {
    if (pending) return;
    setDeciding(decision);
    const result = await call(`/api/admin/subscriptions/${encodeURIComponent(userId)}/${encodeURIComponent(planId)}`, {
      method: "POST",
      body: { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    setDeciding(null);
    if (result.ok) announce(decision === "approve" ? `Approved ${productName} for ${who}.` : `Rejected ${productName} for ${who}.`);
  }

  // Enter in the reason field submits as the primary choice, approve; Reject is always an explicit click.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void decide("approve");
  }

  return (
    <form onSubmit={submit} aria-label={`Decide ${productName} for ${who}`} className="flex flex-col gap-3">
      <div>
        <label htmlFor={`${id}-reason`} className="block text-sm font-medium">
          Reason <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional, shown to the user)</span>
        </label>
        <textarea
          id={`${id}-reason`}
          rows={2}
          maxLength={ADMIN_MAX_LENGTH.reason}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          className={`${INPUT} mt-1 resize-y`}
        />
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={!hydrated} aria-disabled={pending || undefined} className={`${PRIMARY_BUTTON} ${DISABLED}`}>
          {deciding === "approve" ? "Approving…" : "Approve"}
        </button>
        <button
          type="button"
          onClick={() => decide("reject")}
          disabled={!hydrated}
          aria-disabled={pending || undefined}
          className={`${DANGER_BUTTON} border border-red-300 dark:border-red-800 ${DISABLED}`}
        >
          {deciding === "reject" ? "Rejecting…" : "Reject"}
        </button>
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}
