/** @jsxImportSource preact */
import type { PortalSettings } from "@/lib/catalog/settings";
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

/** The search box and the theme button, side by side at the header's end. */
export function HeaderTools({ theme }: { theme: Theme }) {
  return (
    <>
      <form action="/search" role="search" className="hidden lg:block">
        <label htmlFor="header-search" className="sr-only">
          Search the docs
        </label>
        <input
          id="header-search"
          name="q"
          type="search"
          placeholder="Search docs…"
          className="focus-ring w-48 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
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
