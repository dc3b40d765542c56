"use client";

import { useRouter } from "next/navigation";
import { ErrorAlert } from "@/components/access/error-alert";
import { BUTTON, PRIMARY_BUTTON } from "@/components/access/styles";
import { useApiCall, useHydrated } from "@/components/access/use-api-call";

/** Accept or decline the invitation that was opened (its token travels in an HttpOnly cookie, never through this page). */
export function JoinTeam({ teamSlug, teamName }: { teamSlug: string; teamName: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const accept = useApiCall();
  const decline = useApiCall();
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={PRIMARY_BUTTON}
          disabled={!hydrated || accept.pending || decline.pending}
          onClick={async () => {
            const result = await accept.call("/api/teams/join", { method: "POST", body: {} }, { refresh: false });
            if (result.ok) router.push(`/teams/${teamSlug}`);
          }}
        >
          {accept.pending ? "Joining…" : `Join ${teamName}`}
        </button>
        <button
          type="button"
          className={BUTTON}
          disabled={!hydrated || accept.pending || decline.pending}
          onClick={async () => {
            const result = await decline.call("/api/teams/join/decline", { method: "POST", body: {} }, { refresh: false });
            if (result.ok) router.push("/teams");
          }}
        >
          {decline.pending ? "Declining…" : "Decline"}
        </button>
      </div>
      <ErrorAlert error={accept.error ?? decline.error} />
    </div>
  );
}
