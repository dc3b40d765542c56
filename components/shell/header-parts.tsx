/** @jsxImportSource preact */
import type { PortalSettings } from "@/lib/catalog/settings";
import { SEARCH_FORM_ID, SEARCH_INPUT_ID, SEARCH_RESULTS_ID, SEARCH_SHORTCUTS } from "./search";
import { MENU_ITEM } from "./styles";
import type { Theme } from "./theme";
import { ThemeToggle } from "./theme-toggle";

// The header's pieces that hold no link to another page, written once in Preact: the docs
// documents' header (document-header.tsx) renders them directly, the App Router's (header.tsx,
// account-menu.tsx) through Rendered. What holds links stays in each frame (see header.tsx).

export function BrandMark({ settings }: { settings: PortalSettings }) {
  return (
    <>
      {/* eslint-disable-next-line @next/next/no-img-element -- a small owner-supplied SVG/PNG */}
      {settings.logo && <img src="/brand/logo" alt="" width={28} height={28} className="size-7" />}
      <span className="truncate">{settings.name}</span>
    </>
  );
}

/**
 * The search box and the theme button, side by side at the header's end. Below `lg` the box waits
 * behind a search button (a link to /search until the script makes it open the box in place);
 * search.ts adds the shortcuts and the results list.
 */
export function HeaderTools({ theme }: { theme: Theme }) {
  return (
    <>
      <a
        href="/search"
        data-search-open
        aria-label="Search"
        aria-keyshortcuts={SEARCH_SHORTCUTS}
        aria-controls={SEARCH_FORM_ID}
        className="focus-ring inline-flex size-9 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 lg:hidden dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
          <circle cx="11" cy="11" r="6.5" />
          <path d="m20 20-4.4-4.4" />
        </svg>
      </a>
      <form
        id={SEARCH_FORM_ID}
        action="/search"
        role="search"
        className="hidden data-open:block max-lg:absolute max-lg:inset-x-0 max-lg:top-full max-lg:z-30 max-lg:border-b max-lg:border-zinc-200 max-lg:bg-white max-lg:p-3 max-lg:shadow-md lg:relative lg:block dark:max-lg:border-zinc-800 dark:max-lg:bg-zinc-950"
      >
        <label htmlFor={SEARCH_INPUT_ID} className="sr-only">
          Search the docs
        </label>
        <div className="relative">
          <input
            id={SEARCH_INPUT_ID}
            name="q"
            type="search"
            placeholder="Search docs…"
            autoComplete="off"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded="false"
            aria-controls={SEARCH_RESULTS_ID}
            aria-keyshortcuts={SEARCH_SHORTCUTS}
            className="peer focus-ring w-full rounded-md border border-zinc-300 bg-white py-1.5 pr-8 pl-3 text-sm lg:w-56 dark:border-zinc-700 dark:bg-zinc-900"
          />
          <kbd
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 peer-focus:hidden right-2 -translate-y-1/2 rounded border border-zinc-300 px-1.5 font-mono text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
          >
            /
          </kbd>
        </div>
        <div
          hidden
          className="absolute inset-x-3 top-full z-30 mt-2 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg lg:right-0 lg:left-auto lg:w-[28rem] lg:max-w-[calc(100vw-2rem)] dark:border-zinc-700 dark:bg-zinc-900"
        >
          <ul id={SEARCH_RESULTS_ID} role="listbox" aria-label="Search results" hidden className="flex flex-col gap-1" />
          <p data-search-empty hidden className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400" />
        </div>
        <p data-search-status role="status" className="sr-only" />
      </form>
      <ThemeToggle theme={theme} />
    </>
  );
}

/** The account menu's button face: initials, and the name beside them from `sm` up. */
export function AccountIdentity({ name }: { name: string }) {
  return (
    <>
      <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white">
        {initialsOf(name) || "?"}
      </span>
      <span className="hidden max-w-40 truncate sm:inline" data-testid="account-name">
        {name}
      </span>
    </>
  );
}

export function AccountHeading({ name, email, isAdmin }: { name: string; email: string | null; isAdmin: boolean }) {
  return (
    <div className="border-b border-zinc-200 px-3 pt-1 pb-2 dark:border-zinc-700">
      <p className="truncate text-sm font-semibold">{name}</p>
      {email && <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{email}</p>}
      {isAdmin && (
        <p className="mt-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
          Administrator
        </p>
      )}
    </div>
  );
}

export function SignOutForm() {
  return (
    <form method="post" action="/sign-out">
      <button type="submit" className={`w-full text-left ${MENU_ITEM}`}>
        Sign out
      </button>
    </form>
  );
}

export function MenuIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
      <path d="M4 7h16M4 12h16M4 17h16" />
    </svg>
  );
}

function initialsOf(name: string): string {
  return name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
}
