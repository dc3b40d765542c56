import Link from "next/link";
import type { Caller } from "@/lib/auth";
import type { PortalSettings } from "@/lib/catalog/settings";
import { Rendered } from "@/components/ui/rendered";
import { AccountMenu } from "./account-menu";
import { BrandMark, HeaderTools, MenuIcon } from "./header-parts";
import { NavLink } from "./nav-link";
import { SearchBehaviour } from "./search-behaviour";
import { BRAND_LINK, HEADER, HEADER_ROW, mainLinks, MOBILE_MENU, MOBILE_MENU_BUTTON, REGISTER_LINK, SIGN_IN_LINK } from "./styles";
import type { Theme } from "./theme";
import { ThemeToggleBehaviour } from "./theme-toggle-behaviour";

/**
 * The App Router pages' header. Its frame has a Preact twin for the docs documents
 * (document-header.tsx) because the links differ in kind: here next/link navigates without a
 * reload and NavLink marks the current page as the client navigates; there every link is a plain
 * <a> marked once by the server. Everything else is the same component (header-parts.tsx).
 */
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
          <Rendered as="span" className="contents" component={BrandMark} props={{ settings }} />
        </Link>
        <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
          {nav}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-1 sm:gap-2">
          <Rendered className="contents" component={HeaderTools} props={{ theme }} />
          <ThemeToggleBehaviour />
          <SearchBehaviour />
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
              <Rendered as="span" className="contents" component={MenuIcon} props={{}} />
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
