import Link from "next/link";
import type { Caller } from "@/lib/auth";
import type { PortalSettings } from "@/lib/catalog/settings";
import { AccountMenu } from "./account-menu";
import { NavLink } from "./nav-link";
import { BRAND_LINK, HEADER, HEADER_ROW, mainLinks, MOBILE_MENU, MOBILE_MENU_BUTTON, REGISTER_LINK, SEARCH_INPUT, SIGN_IN_LINK } from "./styles";
import { ThemeToggle, type Theme } from "./theme-toggle";

export function Header({ settings, caller, theme }: { settings: PortalSettings; caller: Caller; theme: Theme }) {
  const nav = mainLinks(caller.isAdmin).map((link) => (
    <NavLink key={link.href} href={link.href}>
      {link.label}
    </NavLink>
  ));
  return (
    <header className={HEADER}>
      <div className={HEADER_ROW}>
        <Link href="/" className={BRAND_LINK}>
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
              <Link href="/signin" className={SIGN_IN_LINK}>
                Sign in
              </Link>
              <Link href="/register" prefetch={false} className={REGISTER_LINK}>
                Register
              </Link>
            </>
          )}
          <details className="relative md:hidden">
            <summary className={MOBILE_MENU_BUTTON} aria-label="Menu">
              <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
                <path d="M4 7h16M4 12h16M4 17h16" />
              </svg>
            </summary>
            <nav aria-label="Main (mobile)" className={MOBILE_MENU}>
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
