"use client";

import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import type { SubscriptionView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { BUTTON, LINK, PRIMARY_BUTTON } from "./styles";
import { apiFetch, useHydrated, type ApiError } from "./use-api-call";

/** A team the buyer may activate the purchase for: one they own or administer. */
export interface PurchaseTeam {
  slug: string;
  name: string;
  role: "owner" | "admin";
}

/**
 * Links the AWS Marketplace purchase waiting in this browser (an HttpOnly cookie the server
 * reads) to the signed-in user, or to a team they own or administer, then opens the dashboard
 * (or the team's page), where the subscription and its key are. The choice is plain radio
 * buttons read when the form is sent, so it is what the buyer sees even before hydration.
 */
export function ActivatePurchase({ productName, you, teams = [] }: { productName: string; you: string | null; teams?: PurchaseTeam[] }) {
  const hydrated = useHydrated();
  const id = useId();
  const [step, setStep] = useState<"idle" | "activating" | "discarding" | "done">("idle");
  const [chosen, setChosen] = useState<PurchaseTeam | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // The choice stays open before hydration (the form is read when sent); the buttons wait for it.
  const busy = !hydrated || step !== "idle";

  async function activate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const slug = String(new FormData(event.currentTarget).get("owner") ?? "");
    const team = teams.find((t) => t.slug === slug) ?? null;
    setChosen(team);
    setStep("activating");
    setError(null);
    const url = team ? `/api/marketplace/activate?team=${encodeURIComponent(team.slug)}` : "/api/marketplace/activate";
    const result = await apiFetch<{ subscription: SubscriptionView }>(url, { method: "POST" });
    if (!result.ok) {
      setError(result.error);
      setStep("idle");
      return;
    }
    setStep("done");
    // A full load: the page renders the new subscription and key from the server.
    window.location.assign(team ? `/teams/${encodeURIComponent(team.slug)}` : "/dashboard");
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
    <form onSubmit={activate} aria-label="Activate the purchase" className="flex flex-col items-start gap-4">
      {teams.length > 0 ? (
        <fieldset className="w-full rounded-xl border border-zinc-200 p-5 dark:border-zinc-800" aria-describedby={`${id}-owner-note`}>
          <legend className="px-1 text-lg font-semibold">Whose purchase is this?</legend>
          <p id={`${id}-owner-note`} className="text-sm text-zinc-600 dark:text-zinc-400">
            The subscription, its metered key and the AWS Marketplace notices belong to whoever you choose. A team&apos;s purchase is shared with everyone in
            the team and stays with the team if you leave it.
          </p>
          <div className="mt-3 flex flex-col gap-3">
            <Choice
              id={`${id}-you`}
              value=""
              checked
              disabled={step !== "idle"}
              label="Yourself"
              explanation={`Your own account${you ? ` (${you})` : ""}: the key shows on your dashboard.`}
            />
            {teams.map((team) => (
              <Choice
                key={team.slug}
                id={`${id}-team-${team.slug}`}
                value={team.slug}
                disabled={step !== "idle"}
                label={team.name}
                explanation={`A team you ${team.role === "owner" ? "own" : "administer"}: the key shows on the team's page, for its members to use.`}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <button type="submit" disabled={busy} aria-describedby={`${id}-what`} className={PRIMARY_BUTTON}>
          {step === "activating" ? "Activating…" : step === "done" ? (chosen ? "Opening the team's page…" : "Opening your dashboard…") : "Activate"}
        </button>
        <button type="button" onClick={discard} disabled={busy} className={BUTTON}>
          {step === "discarding" ? "Discarding…" : "Not my purchase"}
        </button>
      </div>
      <p id={`${id}-what`} className="text-sm text-zinc-600 dark:text-zinc-400">
        {teams.length > 0
          ? `Links ${productName} to your choice above and creates an API key that AWS Marketplace meters.`
          : `Links ${productName} to this account and creates an API key that AWS Marketplace meters.`}
      </p>
      {teams.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Buying for your team? Owners and admins of a{" "}
          <Link href="/teams" className={LINK}>
            team
          </Link>{" "}
          can activate a purchase for it instead.
        </p>
      )}
      <ErrorAlert error={error} />
    </form>
  );
}

function Choice({
  id,
  value,
  checked,
  disabled,
  label,
  explanation,
}: {
  id: string;
  value: string;
  checked?: boolean;
  disabled: boolean;
  label: string;
  explanation: string;
}) {
  return (
    <div className="flex items-start gap-2">
      <input
        type="radio"
        id={id}
        name="owner"
        value={value}
        defaultChecked={checked}
        disabled={disabled}
        aria-describedby={`${id}-explanation`}
        className="focus-ring mt-1 accent-brand-600"
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium">
          {label}
        </label>
        <p id={`${id}-explanation`} className="text-zinc-600 dark:text-zinc-400">
          {explanation}
        </p>
      </div>
    </div>
  );
}
