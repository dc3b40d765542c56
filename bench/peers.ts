// The docs benchmark's peers, as static pages on bench/static-server.ts: Redoc, Swagger UI, Scalar
// API Reference and Stoplight Elements, each from its npm package's own browser bundle, reading the
// same spec file (/spec.json). Each page gets what its host page would give any tool (title, lang,
// viewport, a description, an icon), so Lighthouse scores the tool and not a bare page of ours.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./support";

const modules = path.join(root, "node_modules");
export const packageVersion = (pkg: string) => (JSON.parse(readFileSync(path.join(modules, pkg, "package.json"), "utf8")) as { version: string }).version;

export type Peer = "redoc" | "swagger" | "swaggerOpen" | "scalar" | "elements";

/** The operation each tool is asked for (the one Portico lists first). */
export interface PeerOperation {
  operationId: string;
  tag: string;
  method: string;
  path: string;
}

/** Scalar's slug for a tag (its @scalar/helpers slugify with default options). */
export function scalarSlug(value: string): string {
  return value
    .slice(0, 255)
    .trim()
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
    .replace(/[\s_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Scalar's anchor for an operation: tag/<tag slug>/<METHOD><path> (its default generateId, less the document's own prefix). */
export const scalarAnchor = (op: PeerOperation) => `tag/${scalarSlug(op.tag)}/${op.method.toUpperCase()}${op.path}`;

export const PEER_LABEL: Record<Peer, string> = {
  redoc: `Redoc ${packageVersion("redoc")} standalone`,
  swagger: `Swagger UI ${packageVersion("swagger-ui-dist")} (operation listed)`,
  swaggerOpen: `Swagger UI ${packageVersion("swagger-ui-dist")} (deep link, open)`,
  scalar: `Scalar API Reference ${packageVersion("@scalar/api-reference")} standalone (deep link #tag/<tag>/<METHOD><path>)`,
  elements: `Stoplight Elements ${packageVersion("@stoplight/elements")} web component (router=hash, deep link #/operations/<operationId>)`,
};

/** What each peer does with the link it is given, for the notes under the table. */
export const PEER_NOTES = [
  "Redoc and Swagger UI (listed): no deep link; both render every operation and the one timed is the first listed.",
  "Swagger UI (deep link): #/<tag>/<operationId> expands that operation; timed: its first parameter's name.",
  "Scalar: renders the whole reference, then scrolls to the #tag/... anchor; timed: that operation's title.",
  "Stoplight Elements: the hash router renders that operation alone (no other operation on the page); timed: its title.",
];

/** The page of each peer that Lighthouse audits, and the file it comes from. */
export const PEER_PAGE: Record<Exclude<Peer, "swaggerOpen">, string> = {
  redoc: "/redoc.html",
  swagger: "/swagger.html",
  scalar: "/scalar.html",
  elements: "/elements.html",
};

const escapeHtml = (value: string) => value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll('"', "&quot;");

function page(title: string, tool: string, head: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)} · ${tool}</title><meta name="description" content="${escapeHtml(`${title}: API reference rendered by ${tool}.`)}">` +
    `<link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`
  );
}

/**
 * Writes the peers' pages (and Swagger UI's init script) into `site`, and returns the static
 * server's routes for them and for the bundles they load (the spec itself is /spec.json).
 */
export function writePeerPages(site: string, title: string): Record<string, string> {
  const files: Record<string, string> = {
    "redoc.html": page(title, "Redoc", "", `<redoc spec-url="/spec.json"></redoc><script src="/redoc.standalone.js"></script>`),
    "swagger.html": page(
      title,
      "Swagger UI",
      `<link rel="stylesheet" href="/swagger-ui.css">`,
      `<div id="swagger-ui"></div><script src="/swagger-ui-bundle.js"></script><script src="/swagger-ui-standalone-preset.js"></script><script src="/swagger-init.js"></script>`,
    ),
    // As swagger-ui-dist's own index.html sets it up.
    "swagger-init.js": `window.ui = SwaggerUIBundle({ url: "/spec.json", dom_id: "#swagger-ui", deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], plugins: [SwaggerUIBundle.plugins.DownloadUrl], layout: "StandaloneLayout" });\n`,
    // As Scalar's README sets it up for a page of one's own; its default fonts come from Scalar's
    // CDN, which this machine can't reach (and a failed request would count against it), so the
    // page uses system fonts as Portico's does.
    "scalar.html": page(title, "Scalar", "", `<div id="app"></div><script src="/scalar.standalone.js"></script><script src="/scalar-init.js"></script>`),
    "scalar-init.js": `Scalar.createApiReference("#app", { url: "/spec.json", withDefaultFonts: false });\n`,
    // As Elements' web-components README sets it up, with the hash router so an operation has a link.
    "elements.html": page(
      title,
      "Stoplight Elements",
      `<link rel="stylesheet" href="/elements.css">`,
      `<elements-api apiDescriptionUrl="/spec.json" router="hash" layout="sidebar"></elements-api><script src="/elements.js"></script>`,
    ),
  };
  const routes: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(site, name), content);
    routes[`/${name}`] = path.join(site, name);
  }
  return {
    ...routes,
    "/redoc.standalone.js": path.join(modules, "redoc/bundles/redoc.standalone.js"),
    "/swagger-ui.css": path.join(modules, "swagger-ui-dist/swagger-ui.css"),
    "/swagger-ui-bundle.js": path.join(modules, "swagger-ui-dist/swagger-ui-bundle.js"),
    "/swagger-ui-standalone-preset.js": path.join(modules, "swagger-ui-dist/swagger-ui-standalone-preset.js"),
    // The self-contained browser build (package.json's "browser"), what Scalar's CDN link serves.
    "/scalar.standalone.js": path.join(modules, "@scalar/api-reference/dist/browser/standalone.js"),
    "/elements.js": path.join(modules, "@stoplight/elements/web-components.min.js"),
    "/elements.css": path.join(modules, "@stoplight/elements/styles.min.css"),
  };
}

/** Where each peer shows `op`, and the element (holding the operation's title or a line of it) whose paint is timed. */
export function peerScenarios(staticUrl: string, op: PeerOperation): Record<Peer, { url: string; selector: string }> {
  const attr = (value: string) => JSON.stringify(value);
  const { tag, operationId } = op;
  return {
    redoc: { url: `${staticUrl}/redoc.html`, selector: `[data-section-id=${attr(`tag/${tag}/operation/${operationId}`)}] h2` },
    swagger: { url: `${staticUrl}/swagger.html`, selector: `[id=${attr(`operations-${tag}-${operationId}`)}] .opblock-summary-description` },
    swaggerOpen: {
      url: `${staticUrl}/swagger.html#/${tag}/${operationId}`,
      selector: `[id=${attr(`operations-${tag}-${operationId}`)}] .opblock-body .parameter__name`,
    },
    // Scalar renders the whole reference and scrolls to the hash; the section's id is the anchor
    // behind a per-document prefix ("api-1/"), hence the suffix match. Its title is an inline h3
    // in a display:contents span, whose text paint Chromium's Element Timing credits to the
    // enclosing inline "group/heading" span (the h3 itself never gets an entry).
    scalar: {
      url: `${staticUrl}/scalar.html#${scalarAnchor(op)}`,
      selector: `section[id$=${attr(`/${scalarAnchor(op)}`)}] .operation-title [class~="group/heading"]`,
    },
    // Elements renders only the route's operation: its h1, in the block whose anchors are this operation's.
    elements: {
      url: `${staticUrl}/elements.html#/operations/${encodeURIComponent(operationId)}`,
      selector: `.HttpOperation:has([id^=${attr(`/operations/${operationId}#`)}]) h1`,
    },
  };
}
