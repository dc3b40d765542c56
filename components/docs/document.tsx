/** @jsxImportSource preact */
import type { Caller } from "@/lib/auth/caller";
import type { DocsAssets } from "@/lib/build/docs-assets";
import type { PortalSettings } from "@/lib/catalog/settings";
import { DocumentHeader } from "../shell/document-header";
import { Footer } from "../shell/footer";
import { BODY, MAIN, SKIP_LINK } from "../shell/styles";
import type { Theme } from "../shell/theme";

/**
 * A docs page as a whole HTML document: the portal's header and footer (components/shell, as
 * app/layout.tsx has them) around `bodyHtml`, the page's own content rendered once and cached.
 * No inline script: the islands' module script is the only one, and it is deferred.
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
  markdownHref,
  canonical,
  image,
  criticalCss,
}: {
  title: string;
  description?: string;
  pathname: string;
  settings: PortalSettings;
  caller: Caller;
  theme: Theme;
  assets: DocsAssets;
  bodyHtml: string;
  /** The page's Markdown twin (proxy.ts), for assistants and agents. */
  markdownHref?: string;
  /** The page's absolute URL without a query string: its canonical link and og:url (real pages only). */
  canonical?: string;
  /** og:image, if the portal has one to show. */
  image?: string;
  /** The stylesheet's rules this page uses (lib/styles/critical.ts), inlined; without it the stylesheet is linked. */
  criticalCss?: string;
}) {
  return (
    <html lang="en" className={theme === "system" ? undefined : theme} style={{ "--brand": settings.colors.brand }}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${settings.name}`}</title>
        {description && <meta name="description" content={description} />}
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        {criticalCss === undefined ? (
          <link rel="stylesheet" href={assets.style} />
        ) : (
          // The page's own rules inline, so painting waits for no request; the whole stylesheet (for
          // what islands render later) loads without blocking, as media="print", and the islands'
          // script switches it on (components/docs/islands/client.ts).
          <>
            <style dangerouslySetInnerHTML={{ __html: criticalCss }} />
            <link rel="stylesheet" href={assets.style} media="print" data-whole-stylesheet="" />
          </>
        )}
        {markdownHref && <link rel="alternate" type="text/markdown" href={markdownHref} />}
        {canonical && (
          // Link previews (the Twitter card reads the og: tags): a few hundred bytes.
          <>
            <link rel="canonical" href={canonical} />
            <meta property="og:title" content={title} />
            {description && <meta property="og:description" content={description} />}
            <meta property="og:url" content={canonical} />
            <meta property="og:site_name" content={settings.name} />
            <meta property="og:type" content="website" />
            {image && <meta property="og:image" content={image} />}
            <meta name="twitter:card" content="summary" />
          </>
        )}
        <script type="module" src={assets.script} />
      </head>
      <body className={BODY}>
        <a href="#main" className={SKIP_LINK}>
          Skip to content
        </a>
        <DocumentHeader settings={settings} caller={caller} theme={theme} pathname={pathname} />
        <main id="main" tabIndex={-1} className={MAIN} dangerouslySetInnerHTML={{ __html: bodyHtml }} />
        <Footer settings={settings} />
      </body>
    </html>
  );
}
