"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { isCurrent, NAV_LINK } from "./styles";

export function NavLink({ href, children, prefetch }: { href: string; children: React.ReactNode; prefetch?: boolean }) {
  const pathname = usePathname();
  const active = isCurrent(href, pathname);
  return (
    <Link href={href} prefetch={prefetch} aria-current={active ? "page" : undefined} className={NAV_LINK}>
      {children}
    </Link>
  );
}
