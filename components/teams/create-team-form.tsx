"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import { useApiCall, useHydrated } from "@/components/access/use-api-call";

/** The slug a name suggests: "Acme Inc." → "acme-inc". */
const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");

/** A new team, the person its owner; then its page. */
export function CreateTeamForm() {
  const id = useId();
  const router = useRouter();
  const hydrated = useHydrated();
  const { call, pending, error } = useApiCall();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await call<{ team: { slug: string } }>("/api/teams", { method: "POST", body: { name, slug } }, { refresh: false });
    if (result.ok) router.push(`/teams/${result.data.team.slug}`);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="text-xl font-semibold">
        Create a team
      </h2>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="flex flex-col gap-1 sm:w-72">
          <label htmlFor={`${id}-name`} className="text-sm font-medium">
            Team name
          </label>
          <input
            id={`${id}-name`}
            required
            maxLength={80}
            autoComplete="organization"
            placeholder="e.g. Acme Inc."
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              if (!slugEdited) setSlug(slugOf(event.target.value));
            }}
            className={INPUT}
          />
        </div>
        <div className="flex flex-col gap-1 sm:w-56">
          <label htmlFor={`${id}-slug`} className="text-sm font-medium">
            Slug
          </label>
          <input
            id={`${id}-slug`}
            required
            maxLength={40}
            pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?"
            autoComplete="off"
            spellCheck={false}
            value={slug}
            onChange={(event) => {
              setSlugEdited(true);
              setSlug(event.target.value);
            }}
            aria-describedby={`${id}-hint`}
            className={`${INPUT} font-mono`}
          />
        </div>
        <button type="submit" disabled={pending || !hydrated} className={PRIMARY_BUTTON}>
          {pending ? "Creating…" : "Create team"}
        </button>
      </div>
      <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
        The slug names the team in links and in API Gateway (lowercase letters, digits and hyphens). You&apos;ll be its owner and can invite colleagues next.
      </p>
      <ErrorAlert error={error} />
    </form>
  );
}
