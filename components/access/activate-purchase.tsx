"use client";

import { useId, useState } from "react";
import type { SubscriptionView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { BUTTON, PRIMARY_BUTTON } from "./styles";
import { apiFetch, useHydrated, type ApiError } from "./use-api-call";

/**
 * Links the AWS Marketplace purchase waiting in this browser (an HttpOnly cookie the server
 * reads) to the signed-in user, then opens the dashboard, where the subscription and its key are.
 */
export function ActivatePurchase({ productName }: { productName: string }) {
  const hydrated = useHydrated();
  const id = useId();
  const [step, setStep] = useState<"idle" | "activating" | "discarding" | "done">("idle");
  const [error, setError] = useState<ApiError | null>(null);

  async function activate() {
    setStep("activating");
    setError(null);
    const result = await apiFetch<{ subscription: SubscriptionView }>("/api/marketplace/activate", { method: "POST" });
    if (!result.ok) {
      setError(result.error);
      setStep("idle");
      return;
    }
    setStep("done");
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load: the dashboard renders the new subscription and key from the server
    window.location.assign("/dashboard");
  }

  async function discard() {
    setStep("discarding");
    setError(null);
    const result = await apiFetch<null>("/api/marketplace/activate", { method: "DELETE" });
    if (!result.ok) {
      setError(result.error);
      setStep("idle");
      return;
    }
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load: the page confirms nothing was linked
    window.location.assign("/marketplace/activate?discarded=1");
  }

  return (
    <div className="flex flex-col items-start gap-3">
      <div className="flex flex-wrap gap-3">
        <button type="button" onClick={activate} disabled={!hydrated || step !== "idle"} aria-describedby={id} className={PRIMARY_BUTTON}>
          {step === "activating" ? "Activating…" : step === "done" ? "Opening your dashboard…" : "Activate"}
        </button>
        <button type="button" onClick={discard} disabled={!hydrated || step !== "idle"} className={BUTTON}>
          {step === "discarding" ? "Discarding…" : "Not my purchase"}
        </button>
      </div>
      <p id={id} className="text-sm text-zinc-600 dark:text-zinc-400">
        Links {productName} to this account and creates an API key that AWS Marketplace meters.
      </p>
      <ErrorAlert error={error} />
    </div>
  );
}
