/** @jsxImportSource preact */
import type { Caller } from "@/lib/auth/caller";
import type { PortalSettings } from "@/lib/catalog/settings";
import { BODY, HEADER, initialsOf, isCurrent, mainLinks, MAIN, MENU_ITEM, NAV_LINK, SEARCH_INPUT, SKIP_LINK } from "../shell/styles";
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
        <DocsFooter settings={settings} />
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
      <div className="mx-auto flex h-16 max-w-6xl items-center gap-4 px-4 sm:px-6">
        <a href="/" className="focus-ring flex min-w-0 items-center gap-2 rounded-md font-semibold">
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
                className="focus-ring flex cursor-pointer list-none items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden"
                aria-label={`Account menu for ${name}`}
              >
                <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white">
                  {initialsOf(name) || "?"}
                </span>
                <span className="hidden max-w-40 truncate sm:inline" data-testid="account-name">
                  {name}
                </span>
              </summary>
              <div className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
                <div className="border-b border-zinc-200 px-3 pt-1 pb-2 dark:border-zinc-700">
                  <p className="truncate text-sm font-semibold">{name}</p>
                  {caller.user.email && <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{caller.user.email}</p>}
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
              <a href={`/signin?callbackUrl=${encodeURIComponent(pathname)}`} className="focus-ring rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap hover:bg-zinc-100 dark:hover:bg-zinc-800">
                Sign in
              </a>
              <a href="/register" className="focus-ring hidden rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-700 sm:inline-block">
                Register
              </a>
            </>
          )}
          <details className="relative md:hidden">
            <summary className="focus-ring flex size-9 cursor-pointer list-none items-center justify-center rounded-md hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden" aria-label="Menu">
              <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
                <path d="M4 7h16M4 12h16M4 17h16" />
              </svg>
            </summary>
            <nav aria-label="Main (mobile)" className="absolute right-0 z-20 mt-2 flex w-48 flex-col rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
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

function DocsFooter({ settings }: { settings: PortalSettings }) {
  return (
    <footer className="mt-16 border-t border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-8 text-sm text-zinc-600 sm:flex-row sm:items-center sm:justify-between sm:px-6 dark:text-zinc-400">
        <p>{settings.footer.text ?? `© ${settings.name}`}</p>
        <ul className="flex flex-wrap gap-4">
          {settings.footer.links.map((link) => (
            <li key={link.href}>
              <a href={link.href} className="focus-ring rounded underline-offset-4 hover:underline">
                {link.label}
              </a>
            </li>
          ))}
          <li>
            <span>Powered by Portico</span>
          </li>
        </ul>
      </div>
    </footer>
  );
}
