import Link from "next/link";
import { ACCOUNT_SUMMARY, AVATAR, initialsOf, MENU_HEADING, MENU_ITEM, MENU_PANEL } from "./styles";

/** A disclosure menu (works without JavaScript, keyboard-operable via <summary>). */
export function AccountMenu({ name, email, isAdmin }: { name: string; email: string | null; isAdmin: boolean }) {
  const initials = initialsOf(name);
  return (
    <details className="group relative">
      <summary
        className={ACCOUNT_SUMMARY}
        aria-label={`Account menu for ${name}`}
      >
        <span aria-hidden="true" className={AVATAR}>
          {initials || "?"}
        </span>
        <span className="hidden max-w-40 truncate sm:inline" data-testid="account-name">
          {name}
        </span>
      </summary>
      <div className={MENU_PANEL}>
        <div className={MENU_HEADING}>
          <p className="truncate text-sm font-semibold">{name}</p>
          {email && <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{email}</p>}
          {isAdmin && <p className="mt-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">Administrator</p>}
        </div>
        <Link href="/dashboard" className={`mt-1 ${MENU_ITEM}`}>
          Dashboard
        </Link>
        <Link href="/account" className={MENU_ITEM}>
          Account and sessions
        </Link>
        <form method="post" action="/sign-out">
          <button type="submit" className="focus-ring block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}
