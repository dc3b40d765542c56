// Build time only (next.config.ts): the docs pages' one script, written to public/docs-assets/
// under a content-hashed name (served with Next's static files, and by CloudFront from S3 once
// deployed), and their stylesheet, which the pages carry inline (see DocsAssets.css).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DocsAssets {
  /** URL path of the islands' script (an ES module, so it never blocks rendering). */
  script: string;
  /**
   * The docs pages' CSS: app/globals.css with only the classes components/docs and the shared
   * shell use. Inline in each page: a render-blocking stylesheet request would cost a first visit
   * more than these few KB (gzipped) cost each page.
   */
  css: string;
}

/** Where the docs pages' classes come from (relative to app/globals.css). */
const DOCS_SOURCES = ["../components/docs", "../components/shell/styles.ts", "../components/shell/theme.ts", "../components/shell/footer.tsx"];

const ROOT = process.cwd();
const OUT = path.join(ROOT, "public/docs-assets");

export async function buildDocsAssets(): Promise<DocsAssets> {
  const [script, css] = await Promise.all([bundleIslands(), buildStylesheet()]);
  mkdirSync(OUT, { recursive: true });
  const name = `islands-${hash(script)}.js`;
  for (const stale of readdirSync(OUT)) if (stale !== name) rmSync(path.join(OUT, stale));
  writeFileSync(path.join(OUT, name), script);
  return { script: `/docs-assets/${name}`, css };
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
  const globals = readFileSync(from, "utf8");
  if (!globals.includes('@import "tailwindcss";')) throw new Error('app/globals.css no longer starts with @import "tailwindcss": update lib/docs/build-assets.ts');
  const input = globals.replace('@import "tailwindcss";', [`@import "tailwindcss" source(none);`, ...DOCS_SOURCES.map((source) => `@source "${source}";`)].join("\n"));
  const result = await postcss([tailwind({ base: ROOT, optimize: { minify: true } }) as import("postcss").AcceptedPlugin]).process(input, { from });
  return result.css;
}

const hash = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 12);
