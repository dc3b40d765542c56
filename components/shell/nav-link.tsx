"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavLink({ href, children, prefetch }: { href: string; children: React.ReactNode; prefetch?: boolean }) {
  const pathname = usePathname();
  const active = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      prefetch={prefetch}
      aria-current={active ? "page" : undefined}
      className="focus-ring rounded-md px-3 py-2 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:text-brand-700 aria-[current=page]:bg-brand-50 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-white"
    >
      {children}
    </Link>
  );
}
