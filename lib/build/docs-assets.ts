// Build time only (next.config.ts): the docs pages' one script and one stylesheet, written to
// public/docs-assets/ under content-hashed names (served with Next's static files, and by
// CloudFront from S3 once deployed).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChildNode, Container } from "postcss";
import { requiredClasses, type StyleRule, type StyleRules } from "../styles/critical";

export interface DocsAssets {
  /** URL path of the islands' script (an ES module, so it never blocks rendering). */
  script: string;
  /** URL path of the stylesheet: the portal's Tailwind CSS (the same globals.css), for the classes the docs pages use. */
  style: string;
  /** URL path of the stylesheet split into rules (lib/styles/critical.ts): each page inlines those it can use. */
  styleRules: string;
}

const ROOT = process.cwd();
const OUT = path.join(ROOT, "public/docs-assets");

/** Under `npm run dev` the names are fixed, so Next can be told them before they are built (local/dev.ts). */
export const DEV_DOCS_ASSETS: DocsAssets = {
  script: "/docs-assets/islands-dev.js",
  style: "/docs-assets/docs-dev.css",
  styleRules: "/docs-assets/docs-dev.rules.json",
};
const DEV_FILES = Object.values(DEV_DOCS_ASSETS).map((url) => path.basename(url));

/** Other builds' files stay this long: a `next start` or benchmark of another build may still be serving them. */
const KEEP_OTHER_BUILDS_MS = 24 * 60 * 60 * 1000;

export async function buildDocsAssets(options: { dev?: boolean } = {}): Promise<DocsAssets> {
  const [script, style] = await Promise.all([bundleIslands(), docsSources().then(buildStylesheet)]);
  mkdirSync(OUT, { recursive: true });
  const rules = JSON.stringify(await splitStylesheet(style));
  const [scriptName, styleName, rulesName] = options.dev
    ? DEV_FILES
    : [`islands-${hash(script)}.js`, `docs-${hash(style)}.css`, `docs-${hash(style)}.rules.json`];
  const files = { [scriptName!]: script, [styleName!]: style, [rulesName!]: rules };
  // Files of builds older than a day go; newer ones stay for the servers that may be using them
  // (another checkout's `next start`, the e2e suite, a benchmark), as do the dev files.
  if (!options.dev) {
    const now = Date.now();
    for (const stale of readdirSync(OUT)) {
      if (stale in files || DEV_FILES.includes(stale)) continue;
      const file = path.join(OUT, stale);
      const modified = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? now; // another build may have just removed it
      if (now - modified > KEEP_OTHER_BUILDS_MS) rmSync(file, { force: true });
    }
  }
  // Whole files or none: a dev server may be reading the rules while they are rewritten.
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(path.join(OUT, `${name}.tmp`), body);
    renameSync(path.join(OUT, `${name}.tmp`), path.join(OUT, name));
  }
  const [js, css, json] = Object.keys(files) as [string, string, string];
  return { script: `/docs-assets/${js}`, style: `/docs-assets/${css}`, styleRules: `/docs-assets/${json}` };
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

/**
 * The project's files a docs page is made of: the server's page (components/docs/docs-route.tsx)
 * and the islands' script, with everything they import. Tailwind reads only these for class names,
 * so the stylesheet holds what the docs can render (a fifth smaller than the whole app's), and a
 * class added anywhere a docs page reaches is in it without a list to keep.
 */
async function docsSources(): Promise<string[]> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(ROOT, "components/docs/docs-route.tsx"), path.join(ROOT, "components/docs/islands/client.ts")],
    bundle: true,
    write: false,
    metafile: true,
    outdir: path.join(ROOT, ".docs-sources"), // nothing is written; esbuild wants a place for two entries
    platform: "node",
    format: "esm",
    packages: "external",
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "silent",
  });
  const files = Object.keys(result.metafile.inputs).filter((file) => !file.includes("node_modules/"));
  if (!files.includes("components/docs/document.tsx"))
    throw new Error(`lib/build/docs-assets.ts: the docs pages' sources were not found (${files.length} files)`);
  return files.map((file) => path.join(ROOT, file));
}

async function buildStylesheet(sources: string[]): Promise<string> {
  const [{ default: postcss }, { default: tailwind }] = await Promise.all([import("postcss"), import("@tailwindcss/postcss")]);
  const from = path.join(ROOT, "app/globals.css");
  const css = readFileSync(from, "utf8");
  const IMPORT = '@import "tailwindcss";';
  if (!css.includes(IMPORT)) throw new Error(`app/globals.css no longer starts with ${IMPORT}: lib/build/docs-assets.ts scopes that import`);
  // Tailwind's own detection scans the whole repository; `source(none)` and one @source per file scope it.
  const scoped = css.replace(
    IMPORT,
    [`@import "tailwindcss" source(none);`, ...sources.map((file) => `@source ${JSON.stringify(path.relative(path.dirname(from), file))};`)].join("\n"),
  );
  const result = await postcss([tailwind({ base: ROOT, optimize: { minify: true } }) as import("postcss").AcceptedPlugin]).process(scoped, { from });
  return result.css;
}

/** The stylesheet as lib/styles/critical.ts reads it: its utilities layer rule by rule, the rest whole. */
export async function splitStylesheet(css: string): Promise<StyleRules> {
  const { parse } = await import("postcss");
  const nodes = parse(css).nodes;
  const at = nodes.findIndex((node) => node.type === "atrule" && node.name === "layer" && node.params === "utilities" && node.nodes);
  if (at < 0) throw new Error("lib/build/docs-assets.ts: the docs stylesheet has no @layer utilities block to split");
  // A node's own text: a statement at-rule (`@layer components;`) needs its semicolon back when joined.
  const text = (node: ChildNode) => (node.type === "atrule" && !node.nodes ? `${node.toString()};` : node.toString());
  const rules: StyleRule[] = [];
  const walk = (container: Container, wrap: string[]) => {
    for (const node of container.nodes ?? []) {
      if (node.type === "rule") rules.push({ needs: requiredClasses(node.selector), css: text(node), wrap });
      else if (node.type === "atrule" && node.nodes) walk(node, [...wrap, `@${node.name}${node.raws.afterName ?? " "}${node.params}`]);
      else if (node.type !== "comment") rules.push({ needs: [[]], css: text(node), wrap }); // anything else: always kept
    }
  };
  walk(nodes[at] as Container, []);
  const join = (list: ChildNode[]) => list.map(text).join("");
  return { before: join(nodes.slice(0, at)), rules, after: join(nodes.slice(at + 1)) };
}

const hash = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 12);
