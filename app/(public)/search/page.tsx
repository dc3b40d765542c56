import type { Metadata } from "next";
import Link from "next/link";
import { getCaller } from "@/lib/auth";
import { search } from "@/lib/search";

export const metadata: Metadata = { title: "Search" };

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const query = ((await searchParams).q ?? "").slice(0, 200);
  const hits = await search(query, await getCaller());
  return (
    <div className="max-w-3xl">
      <h1 className="text-3xl font-bold tracking-tight">Search</h1>
      <form action="/search" role="search" className="mt-6 flex gap-2">
        <label htmlFor="search-page-q" className="sr-only">
          Search APIs, operations and guides
        </label>
        <input
          id="search-page-q"
          name="q"
          type="search"
          defaultValue={query}
          placeholder="e.g. list pets, forecast, 429"
          className="focus-ring w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900"
        />
        <button type="submit" className="focus-ring rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Search
        </button>
      </form>
      {query && (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400" role="status">
          {hits.length === 0 ? `No results for “${query}”.` : `${hits.length} result${hits.length === 1 ? "" : "s"} for “${query}”`}
        </p>
      )}
      <ol className="mt-6 flex flex-col gap-3">
        {hits.map((hit) => (
          <li key={hit.href} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{hit.label}</p>
            <Link href={hit.href} className="focus-ring mt-1 block rounded font-semibold text-brand-700 hover:underline dark:text-brand-500">
              {hit.title}
            </Link>
            {hit.snippet && <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{hit.snippet}</p>}
          </li>
        ))}
      </ol>
    </div>
  );
}
