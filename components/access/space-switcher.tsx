import Link from "next/link";

/**
 * Whose keys the page shows, and the other spaces one click away: the person's own dashboard and
 * each team they belong to. Shown once someone is in a team.
 */
export function SpaceSwitcher({ current, teams }: { current: string | null; teams: { slug: string; name: string }[] }) {
  if (teams.length === 0) return null;
  const sorted = [...teams].sort((a, b) => a.name.localeCompare(b.name));
  const spaces = [{ href: "/dashboard", label: "Your own", slug: null }, ...sorted.map((t) => ({ href: `/teams/${t.slug}`, label: t.name, slug: t.slug }))];
  return (
    <nav aria-labelledby="whose-keys" className="mb-4 flex flex-wrap items-center gap-2 text-sm">
      <span id="whose-keys" className="text-zinc-600 dark:text-zinc-400">
        Whose keys
      </span>
      <ul className="flex flex-wrap gap-1 rounded-lg border border-zinc-200 p-1 dark:border-zinc-800">
        {spaces.map((space) => (
          <li key={space.href}>
            <Link
              href={space.href}
              aria-current={space.slug === current ? "page" : undefined}
              className="focus-ring block rounded-md px-3 py-1.5 font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-white"
            >
              {space.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
