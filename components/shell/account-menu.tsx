import Link from "next/link";
import { initialsOf, MENU_ITEM } from "./styles";

/** A disclosure menu (works without JavaScript, keyboard-operable via <summary>). */
export function AccountMenu({ name, email, isAdmin }: { name: string; email: string | null; isAdmin: boolean }) {
  const initials = initialsOf(name);
  return (
    <details className="group relative">
      <summary
        className="focus-ring flex cursor-pointer list-none items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden"
        aria-label={`Account menu for ${name}`}
      >
        <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white">
          {initials || "?"}
        </span>
        <span className="hidden max-w-40 truncate sm:inline" data-testid="account-name">
          {name}
        </span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        <div className="border-b border-zinc-200 px-3 pt-1 pb-2 dark:border-zinc-700">
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
