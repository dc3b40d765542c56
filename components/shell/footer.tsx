/** @jsxImportSource preact */
import type { PortalSettings } from "@/lib/catalog/settings";

/**
 * The portal's footer: one component for the App Router pages (app/layout.tsx, through Rendered)
 * and the docs documents (components/docs/document.tsx). Plain links: it has no state.
 */
export function Footer({ settings }: { settings: PortalSettings }) {
  return (
    <footer className="mt-16 border-t border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex max-w-6xl [body:has(main>[data-wide])_&]:max-w-[88rem] flex-col gap-3 px-4 py-8 text-sm text-zinc-600 sm:flex-row sm:items-center sm:justify-between sm:px-6 dark:text-zinc-400">
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
