// Class lists and links the two page frames share: app/layout.tsx with header.tsx, and the docs
// documents (components/docs/document.tsx) with document-header.tsx.
export const NAV_LINK =
  "focus-ring rounded-md px-3 py-2 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:text-brand-700 aria-[current=page]:bg-brand-50 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-white";
export const BODY = "flex min-h-screen flex-col bg-white font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100";
// A page whose content carries `data-wide` (the API reference: navigation, the operation and its
// samples side by side) gets a wider frame, header included, so the two frames never jump between pages.
export const MAIN = "mx-auto w-full max-w-6xl flex-1 px-4 py-10 outline-none sm:px-6 has-[>[data-wide]]:max-w-[88rem]";
export const SKIP_LINK =
  "sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-brand-600 focus:px-4 focus:py-2 focus:text-white";
// No backdrop blur: the header scrolls with the page, so all it would blur is the body's own plain
// background (the same pixels), at the price of a composited layer on every first paint.
export const HEADER = "relative z-30 border-b border-zinc-200 bg-white/90 dark:border-zinc-800 dark:bg-zinc-950/90";
export const MENU_ITEM = "focus-ring block rounded-md px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800";

export const ACCOUNT_SUMMARY =
  "focus-ring flex cursor-pointer list-none items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden";
export const MENU_PANEL = "absolute right-0 z-20 mt-2 w-64 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900";
export const SIGN_IN_LINK = "focus-ring rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap hover:bg-zinc-100 dark:hover:bg-zinc-800";
export const REGISTER_LINK =
  "focus-ring hidden rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-700 sm:inline-block";
export const MOBILE_MENU_BUTTON =
  "focus-ring flex size-9 cursor-pointer list-none items-center justify-center rounded-md hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden";
export const MOBILE_MENU =
  "absolute right-0 z-20 mt-2 flex w-48 flex-col rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900";
export const HEADER_ROW = "mx-auto flex h-16 max-w-6xl items-center gap-4 px-4 sm:px-6 [body:has(main>[data-wide])_&]:max-w-[88rem]";
export const BRAND_LINK = "focus-ring flex min-w-0 items-center gap-2 rounded-md font-semibold";

/** The main navigation, in order; Admin only for administrators. */
export function mainLinks(isAdmin: boolean): { href: string; label: string }[] {
  return [
    { href: "/", label: "Home" },
    { href: "/apis", label: "APIs" },
    { href: "/dashboard", label: "Dashboard" },
    ...(isAdmin ? [{ href: "/admin", label: "Admin" }] : []),
  ];
}

export function isCurrent(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
