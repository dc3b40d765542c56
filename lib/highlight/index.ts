// Server only: syntax highlighting for the docs pages' code samples, rendered into their HTML (no
// highlighting script reaches the browser). Shiki's TextMate grammars with its JavaScript regex
// engine (no WebAssembly), loaded once per process on first use.
import { createCssVariablesTheme, createHighlighterCoreSync, type HighlighterCore } from "@shikijs/core";
import { createJavaScriptRegexEngine } from "@shikijs/engine-javascript";
import csharp from "@shikijs/langs/csharp";
import go from "@shikijs/langs/go";
import java from "@shikijs/langs/java";
import javascript from "@shikijs/langs/javascript";
import php from "@shikijs/langs/php";
import python from "@shikijs/langs/python";
import ruby from "@shikijs/langs/ruby";
import shellscript from "@shikijs/langs/shellscript";
import { markedSamples } from "@/lib/openapi/samples";
import type { TryItOperation } from "@/lib/openapi/try-it";
import { KEY_CLASS, TOKEN_CLASS } from "./classes";

export type Grammar = "shellscript" | "javascript" | "python" | "go" | "java" | "ruby" | "php" | "csharp";

// One theme whose colours are names ("var(--hl-token-string)"), turned into short classes below:
// the colours of both modes live in app/globals.css, and a token costs a class, not two colours.
const BASE = createCssVariablesTheme({ name: "portico", variablePrefix: "--hl-", fontStyle: false });
// Less the rule colouring a whole call (PHP's arguments, spaces and all) as a function name.
const THEME = {
  ...BASE,
  tokenColors: BASE.tokenColors?.map((rule) => (Array.isArray(rule.scope) ? { ...rule, scope: rule.scope.filter((s) => s !== "meta.function-call") } : rule)),
};

let highlighter: HighlighterCore | undefined;
function get(): HighlighterCore {
  highlighter ??= createHighlighterCoreSync({
    themes: [THEME],
    langs: [shellscript, javascript, python, go, java, ruby, php, csharp],
    // forgiving: a grammar's rare regex the engine can't translate matches nothing, instead of throwing.
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  return highlighter;
}

/** The longest line highlighted (a sample's long URL or one-line body is shown as plain text). */
export const MAX_LINE = 1_000;

const escape = (text: string) => text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));

function tokenClass(color: string | undefined): string | undefined {
  const name = color?.match(/^var\(--hl-token-([a-z-]+)\)$/)?.[1];
  return name ? TOKEN_CLASS[name as keyof typeof TOKEN_CLASS] : undefined;
}

/** A span of the code to wrap in its own element (the docs' key), given by offsets into the code. */
export interface Mark {
  start: number;
  end: number;
  /** Attributes of the wrapping <span>, names and values as they are (values are HTML-escaped here). */
  attributes: Record<string, string>;
}

/**
 * `code` as HTML for the inside of a <code>: each token in a <span class> of its kind, text
 * escaped, and the `mark`'s characters (never more than one line) wrapped in a span of their own.
 * Rendering is deterministic: the same code gives the same HTML.
 */
export function highlight(code: string, grammar: Grammar, mark?: Mark): string {
  // A longer line stays plain text: TextMate grammars take seconds over a line of many thousand characters.
  const lines = get().codeToTokensBase(code, { lang: grammar, theme: "portico", tokenizeMaxLineLength: MAX_LINE });
  let html = "";
  let open: string | undefined; // the class of the span being written, merged across tokens of one kind
  let text = "";
  const flush = () => {
    if (text) html += open ? `<span class="${open}">${escape(text)}</span>` : escape(text);
    text = "";
  };
  const write = (content: string, cls: string | undefined) => {
    if (cls !== open) flush();
    open = cls;
    text += content;
  };
  const attributes = mark
    ? Object.entries(mark.attributes)
        .map(([name, value]) => ` ${name}="${escape(value).replace(/"/g, "&quot;")}"`)
        .join("")
    : "";
  lines.forEach((tokens, i) => {
    if (i > 0) write("\n", open);
    for (const token of tokens) {
      const cls = tokenClass(token.color);
      const from = token.offset;
      const to = from + token.content.length;
      if (!mark || to <= mark.start || from >= mark.end) {
        write(token.content, cls);
        continue;
      }
      // The token meets the mark: its part before, inside and after it.
      const a = Math.max(mark.start, from) - from;
      const b = Math.min(mark.end, to) - from;
      write(token.content.slice(0, a), cls);
      if (from <= mark.start) {
        flush();
        html += `<span class="${KEY_CLASS}"${attributes}>`;
      }
      write(token.content.slice(a, b), cls);
      if (to >= mark.end) {
        flush();
        html += "</span>";
        open = undefined;
      }
      write(token.content.slice(b), cls);
    }
  });
  flush();
  return html;
}

/**
 * Compiles the grammars' rules the samples use now (a second or so of CPU, once per process)
 * rather than during the first docs page a reader asks for: for a server's start-up hook to call.
 */
export function warmHighlighter(): void {
  const op = {
    method: "POST",
    path: "/items/{id}",
    slug: "warm",
    apiKeyRequired: true,
    parameters: [{ in: "path", name: "id", required: true, example: "1" }],
    bodies: [{ contentType: "application/json", required: true, example: '{"a": [1, true, null, "b"]}' }],
  } as TryItOperation;
  for (const sample of markedSamples(op, "https://api.example.com")) highlight(sample.code, sample.grammar);
}
