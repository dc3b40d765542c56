/** @jsxImportSource preact */
import type { Caller } from "@/lib/auth/caller";
import type { PortalSettings } from "@/lib/catalog/settings";
import { ACCOUNT_SUMMARY, AVATAR, BODY, BRAND_LINK, HEADER, HEADER_ROW, initialsOf, isCurrent, MAIN, mainLinks, MENU_HEADING, MENU_ITEM, MENU_PANEL, MOBILE_MENU, MOBILE_MENU_BUTTON, NAV_LINK, REGISTER_LINK, SEARCH_INPUT, SIGN_IN_LINK, SKIP_LINK } from "../shell/styles";
import { Footer } from "../shell/footer";
import type { Theme } from "../shell/theme";
import { Island } from "./islands/island";

export interface DocumentAssets {
  script: string;
  style: string;
}

/**
 * A docs page as a whole HTML document: the portal's header and footer (the Preact twin of
 * app/layout.tsx and components/shell) around `bodyHtml`, the page's own content rendered once and
 * cached. No inline script: the islands' module script is the only one, and it is deferred.
 */
export function DocsDocument({
  title,
  description,
  pathname,
  settings,
  caller,
  theme,
  assets,
  bodyHtml,
}: {
  title: string;
  description?: string;
  pathname: string;
  settings: PortalSettings;
  caller: Caller;
  theme: Theme;
  assets: DocumentAssets;
  bodyHtml: string;
}) {
  return (
    <html lang="en" className={theme === "system" ? undefined : theme} style={{ "--brand": settings.colors.brand }}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${settings.name}`}</title>
        {description && <meta name="description" content={description} />}
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={assets.style} />
        <script type="module" src={assets.script} />
      </head>
      <body className={BODY}>
        <a href="#main" className={SKIP_LINK}>
          Skip to content
        </a>
        <DocsHeader settings={settings} caller={caller} theme={theme} pathname={pathname} />
        <main id="main" tabIndex={-1} className={MAIN} dangerouslySetInnerHTML={{ __html: bodyHtml }} />
        <Footer settings={settings} />
      </body>
    </html>
  );
}

function DocsHeader({ settings, caller, theme, pathname }: { settings: PortalSettings; caller: Caller; theme: Theme; pathname: string }) {
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
          {settings.logo && <img src="/brand/logo" alt="" width={28} height={28} className="size-7" />}
          <span className="truncate">{settings.name}</span>
        </a>
        <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
          {nav}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-1 sm:gap-2">
          <form action="/search" role="search" className="hidden lg:block">
            <label htmlFor="header-search" className="sr-only">
              Search the docs
            </label>
            <input id="header-search" name="q" type="search" placeholder="Search docs…" className={SEARCH_INPUT} />
          </form>
          <Island name="theme-toggle" props={{ initial: theme }} />
          {caller.user ? (
            <details className="group relative">
              <summary
                className={ACCOUNT_SUMMARY}
                aria-label={`Account menu for ${name}`}
              >
                <span aria-hidden="true" className={AVATAR}>
                  {initialsOf(name) || "?"}
                </span>
                <span className="hidden max-w-40 truncate sm:inline" data-testid="account-name">
                  {name}
                </span>
              </summary>
              <div className={MENU_PANEL}>
                <div className={MENU_HEADING}>
                  <p className="truncate text-sm font-semibold">{name}</p>
                  {caller.user.email && <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{caller.user.email}</p>}
                  {caller.isAdmin && <p className="mt-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">Administrator</p>}
                </div>
                <a href="/dashboard" className={`mt-1 ${MENU_ITEM}`}>
                  Dashboard
                </a>
                <a href="/account" className={MENU_ITEM}>
                  Account and sessions
                </a>
                <form method="post" action="/sign-out">
                  <button type="submit" className={`w-full text-left ${MENU_ITEM}`}>
                    Sign out
                  </button>
                </form>
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
              <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
                <path d="M4 7h16M4 12h16M4 17h16" />
              </svg>
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
