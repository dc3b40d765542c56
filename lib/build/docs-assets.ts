// Build time only (next.config.ts): the docs pages' one script and one stylesheet, written to
// public/docs-assets/ under content-hashed names (served with Next's static files, and by
// CloudFront from S3 once deployed).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DocsAssets {
  /** URL path of the islands' script (an ES module, so it never blocks rendering). */
  script: string;
  /** URL path of the stylesheet: the portal's Tailwind CSS, built from the same globals.css. */
  style: string;
}

const ROOT = process.cwd();
const OUT = path.join(ROOT, "public/docs-assets");

/** Under `npm run dev` the names are fixed, so Next can be told them before they are built (local/dev.ts). */
export const DEV_DOCS_ASSETS: DocsAssets = { script: "/docs-assets/islands-dev.js", style: "/docs-assets/docs-dev.css" };
const DEV_FILES = [path.basename(DEV_DOCS_ASSETS.script), path.basename(DEV_DOCS_ASSETS.style)] as const;

export async function buildDocsAssets(options: { dev?: boolean } = {}): Promise<DocsAssets> {
  const [script, style] = await Promise.all([bundleIslands(), buildStylesheet()]);
  mkdirSync(OUT, { recursive: true });
  const [scriptName, styleName] = options.dev ? DEV_FILES : [`islands-${hash(script)}.js`, `docs-${hash(style)}.css`];
  const files = { [scriptName]: script, [styleName]: style };
  // Earlier builds' files go; the dev files stay for a `npm run dev` that may be running.
  if (!options.dev)
    for (const stale of readdirSync(OUT)) if (!(stale in files) && !(DEV_FILES as readonly string[]).includes(stale)) rmSync(path.join(OUT, stale));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(OUT, name), body);
  const [js, css] = Object.keys(files) as [string, string];
  return { script: `/docs-assets/${js}`, style: `/docs-assets/${css}` };
}

// esbuild, PostCSS and Tailwind are build tools: loaded only when a build asks for the assets.
async function bundleIslands(): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(ROOT, "components/docs/islands/client.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    define: { "process.env.NODE_ENV": '"production"' },
    tsconfig: path.join(ROOT, "tsconfig.json"),
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

async function buildStylesheet(): Promise<string> {
  const [{ default: postcss }, { default: tailwind }] = await Promise.all([import("postcss"), import("@tailwindcss/postcss")]);
  const from = path.join(ROOT, "app/globals.css");
  const result = await postcss([tailwind({ base: ROOT, optimize: { minify: true } }) as import("postcss").AcceptedPlugin]).process(readFileSync(from, "utf8"), {
    from,
  });
  return result.css;
}

const hash = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 12);
