import Link from "next/link";
import { Rendered } from "@/components/ui/rendered";
import { AccountHeading, AccountIdentity, SignOutForm } from "./header-parts";
import { MenuBehaviour } from "./menu-behaviour";
import { ACCOUNT_SUMMARY, MENU_ITEM, MENU_PANEL } from "./styles";

/** A disclosure menu (works without JavaScript, keyboard-operable via <summary>). */
export function AccountMenu({ name, email, isAdmin }: { name: string; email: string | null; isAdmin: boolean }) {
  return (
    <details className="group relative">
      <summary className={ACCOUNT_SUMMARY} aria-label={`Account menu for ${name}`}>
        <Rendered as="span" className="contents" component={AccountIdentity} props={{ name }} />
      </summary>
      <div className={MENU_PANEL}>
        <Rendered className="contents" component={AccountHeading} props={{ name, email, isAdmin }} />
        <Link href="/dashboard" className={`mt-1 ${MENU_ITEM}`}>
          Dashboard
        </Link>
        <Link href="/teams" className={MENU_ITEM}>
          Teams
        </Link>
        <Link href="/dashboard/tokens" className={MENU_ITEM}>
          Portal tokens
        </Link>
        <Link href="/dashboard/notifications" className={MENU_ITEM}>
          Notifications
        </Link>
        <Link href="/account" className={MENU_ITEM}>
          Account and sessions
        </Link>
        <Rendered className="contents" component={SignOutForm} props={{}} />
      </div>
      <MenuBehaviour />
    </details>
  );
}
