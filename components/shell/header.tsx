import Link from "next/link";
import type { Caller } from "@/lib/auth";
import type { PortalSettings } from "@/lib/catalog/settings";
import { AccountMenu } from "./account-menu";
import { NavLink } from "./nav-link";
import { HEADER, mainLinks, SEARCH_INPUT } from "./styles";
import { ThemeToggle, type Theme } from "./theme-toggle";

export function Header({ settings, caller, theme }: { settings: PortalSettings; caller: Caller; theme: Theme }) {
  const nav = mainLinks(caller.isAdmin).map((link) => (
    <NavLink key={link.href} href={link.href}>
      {link.label}
    </NavLink>
  ));
  return (
    <header className={HEADER}>
      <div className="mx-auto flex h-16 max-w-6xl items-center gap-4 px-4 sm:px-6">
        <Link href="/" className="focus-ring flex min-w-0 items-center gap-2 rounded-md font-semibold">
          {settings.logo && (
            // eslint-disable-next-line @next/next/no-img-element -- a small owner-supplied SVG/PNG
            <img src="/brand/logo" alt="" width={28} height={28} className="size-7" />
          )}
          <span className="truncate">{settings.name}</span>
        </Link>
        <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
          {nav}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-1 sm:gap-2">
          <form action="/search" role="search" className="hidden lg:block">
            <label htmlFor="header-search" className="sr-only">
              Search the docs
            </label>
            <input
              id="header-search"
              name="q"
              type="search"
              placeholder="Search docs…"
              className={SEARCH_INPUT}
            />
          </form>
          <ThemeToggle initial={theme} />
          {caller.user ? (
            <AccountMenu name={caller.user.name ?? caller.user.email ?? "Account"} email={caller.user.email} isAdmin={caller.isAdmin} />
          ) : (
            <>
              <Link href="/signin" className="focus-ring rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap hover:bg-zinc-100 dark:hover:bg-zinc-800">
                Sign in
              </Link>
              <Link href="/register" prefetch={false} className="focus-ring hidden rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-700 sm:inline-block">
                Register
              </Link>
            </>
          )}
          <details className="relative md:hidden">
            <summary className="focus-ring flex size-9 cursor-pointer list-none items-center justify-center rounded-md hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden" aria-label="Menu">
              <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
                <path d="M4 7h16M4 12h16M4 17h16" />
              </svg>
            </summary>
            <nav aria-label="Main (mobile)" className="absolute right-0 z-20 mt-2 flex w-48 flex-col rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
              {nav}
              {!caller.user && (
                <NavLink href="/register" prefetch={false}>
                  Register
                </NavLink>
              )}
            </nav>
          </details>
        </div>
      </div>
    </header>
  );
}
