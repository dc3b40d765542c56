import type { Nodes, Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { safeUrl } from "./safe-markdown";
import { tooDeep } from "@/lib/markdown-nesting";

/**
 * The spec as the Redoc single-page view gets it. Redoc renders a spec's Markdown with its raw
 * HTML; its `untrustedSpec` option (DOMPurify) removes scripts and handlers but keeps `<style>`
 * (a description could blank the page), forms and remote images. So the same policy as the
 * server-rendered pages (safe-markdown.tsx) is applied first: raw HTML is dropped, images become
 * links, and the links Redoc builds from URL fields are http(s), mailto or relative only.
 */
export function forRedoc(spec: unknown): unknown {
  return clean(spec, undefined, undefined);
}

// Fields Redoc (2.x) renders as Markdown, and maps whose every value it renders so (x-enumDescriptions, OAuth scopes).
const MARKDOWN_FIELDS = new Set(["description", "summary", "x-summary"]);
const MARKDOWN_MAPS = new Set(["x-enumDescriptions", "scopes"]);
// Objects whose `url` (or x-logo's `href`) Redoc turns into a link, and fields that are links wherever they are.
const LINK_OWNERS = new Set(["externalDocs", "contact", "license", "x-logo"]);
const LINK_FIELDS = new Set(["termsOfService", "authorizationUrl", "tokenUrl", "refreshUrl", "openIdConnectUrl", "externalValue"]);

function clean(node: unknown, key: string | undefined, owner: string | undefined): unknown {
  if (typeof node === "string") {
    if (MARKDOWN_FIELDS.has(key ?? "") || MARKDOWN_MAPS.has(owner ?? "")) return withoutRawHtml(node);
    if (LINK_FIELDS.has(key ?? "") || ((key === "url" || key === "href") && LINK_OWNERS.has(owner ?? ""))) return safeUrl(node) || undefined;
    return node;
  }
  if (Array.isArray(node)) return node.map((item) => clean(item, undefined, key));
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node)) {
    const cleaned = clean(value, name, key);
    if (cleaned !== undefined) out[name] = cleaned;
  }
  return out;
}

const parser = unified().use(remarkParse).use(remarkGfm);
// Each pass can change how the rest parses (a cut tag held a backtick): parse again, a few times.
const MAX_PASSES = 4;
const AUTOLINK = /^<[a-z][a-z\d+.-]{1,31}:[^\s<>]*>$/i;

/**
 * Markdown without raw HTML: the HTML the parser finds is cut out, and any other `<` outside code
 * is escaped, in case Redoc's parser (marked) reads HTML where this one (micromark) doesn't, as
 * with `<img src=https://…>`. Images become links.
 */
export function withoutRawHtml(markdown: string): string {
  // Too deep for remark's recursion (lib/markdown-nesting.ts): escaped whole, as when the passes run out.
  if (tooDeep(markdown)) return markdown.replaceAll("<", "&lt;").replaceAll("![", "!\\[");
  let text = markdown;
  for (let pass = 0; /<|!\[/.test(text); pass++) {
    const edits = rawHtmlEdits(text);
    if (!edits.length) break;
    if (pass === MAX_PASSES) return text.replaceAll("<", "&lt;").replaceAll("![", "!\\[");
    for (const [start, end, insert] of edits.sort((a, b) => b[0] - a[0])) text = text.slice(0, start) + insert + text.slice(end);
  }
  return text;
}

type Edit = [start: number, end: number, insert: string];

function rawHtmlEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  const keep: [number, number][] = []; // code and autolinks: their `<` are not HTML
  const walk = (node: Nodes | Root) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start !== undefined && end !== undefined) {
      if (node.type === "html") return void edits.push([start, end, ""]);
      if (node.type === "code" || node.type === "inlineCode" || (node.type === "link" && AUTOLINK.test(text.slice(start, end))))
        return void keep.push([start, end]);
      // `![alt](src)` → `[Image: alt](src)`: a link, as on the server-rendered pages (no remote load).
      if (node.type === "image" || node.type === "imageReference") edits.push([start, start + 2, "[Image: "]);
    }
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parser.parse(text));
  const skip = [...keep, ...edits.map(([start, end]) => [start, end] as [number, number])];
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i + 1)) {
    let backslashes = 0;
    while (text[i - backslashes - 1] === "\\") backslashes++;
    if (backslashes % 2 === 0 && !skip.some(([start, end]) => i >= start && i < end)) edits.push([i, i + 1, "&lt;"]);
  }
  return edits;
}
