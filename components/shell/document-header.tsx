/** @jsxImportSource preact */
import type { Caller } from "@/lib/auth/caller";
import type { PortalSettings } from "@/lib/catalog/settings";
import { AccountHeading, AccountIdentity, BrandMark, HeaderTools, MenuIcon, SignOutForm } from "./header-parts";
import {
  ACCOUNT_SUMMARY,
  BRAND_LINK,
  HEADER,
  HEADER_ROW,
  isCurrent,
  mainLinks,
  MENU_ITEM,
  MENU_PANEL,
  MOBILE_MENU,
  MOBILE_MENU_BUTTON,
  NAV_LINK,
  REGISTER_LINK,
  SIGN_IN_LINK,
} from "./styles";
import type { Theme } from "./theme";

/**
 * The header of the docs documents (components/docs/document.tsx): header.tsx's frame with plain
 * links, the current page marked from `pathname`, and sign-in coming back to this page.
 */
export function DocumentHeader({ settings, caller, theme, pathname }: { settings: PortalSettings; caller: Caller; theme: Theme; pathname: string }) {
  const nav = mainLinks(caller.isAdmin).map((link) => (
    <a key={link.href} href={link.href} aria-current={isCurrent(link.href, pathname) ? "page" : undefined} className={NAV_LINK}>
      {link.label}
    </a>
  ));
  const name = caller.user ? (caller.user.name ?? caller.user.email ?? "Account") : "";
  return (
    <header className={HEADER}>
      <div className={HEADER_ROW}>
        <a href="/" className={BRAND_LINK}>
          <BrandMark settings={settings} />
        </a>
        <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
          {nav}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-1 sm:gap-2">
          <HeaderTools theme={theme} />
          {caller.user ? (
            <details className="group relative">
              <summary className={ACCOUNT_SUMMARY} aria-label={`Account menu for ${name}`}>
                <AccountIdentity name={name} />
              </summary>
              <div className={MENU_PANEL}>
                <AccountHeading name={name} email={caller.user.email} isAdmin={caller.isAdmin} />
                <a href="/dashboard" className={`mt-1 ${MENU_ITEM}`}>
                  Dashboard
                </a>
                <a href="/teams" className={MENU_ITEM}>
                  Teams
                </a>
                <a href="/dashboard/tokens" className={MENU_ITEM}>
                  Portal tokens
                </a>
                <a href="/dashboard/notifications" className={MENU_ITEM}>
                  Notifications
                </a>
                <a href="/account" className={MENU_ITEM}>
                  Account and sessions
                </a>
                <SignOutForm />
              </div>
            </details>
          ) : (
            <>
              <a href={`/signin?callbackUrl=${encodeURIComponent(pathname)}`} className={SIGN_IN_LINK}>
                Sign in
              </a>
              <a href="/register" className={REGISTER_LINK}>
                Register
              </a>
            </>
          )}
          <details className="relative md:hidden">
            <summary className={MOBILE_MENU_BUTTON} aria-label="Menu">
              <MenuIcon />
            </summary>
            <nav aria-label="Main (mobile)" className={MOBILE_MENU}>
              {nav}
              {!caller.user && (
                <a href="/register" className={NAV_LINK}>
                  Register
                </a>
              )}
            </nav>
          </details>
        </div>
      </div>
    </header>
  );
}
