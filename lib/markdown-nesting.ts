/**
 * Markdown parsers and renderers recurse once per level of nesting: remark overflowed the stack
 * at about 1,000 levels (2 KB of `- - - …`) and spent 35 s on 9,000. This measures, in one pass
 * over the text and before any parser sees it, an upper bound on how deep the tree could go;
 * past MAX_MARKDOWN_NESTING the text is shown as written (see plainMarkdownHtml) instead.
 *
 * What counts, per line: each block quote `>` and list marker that opens the line (`> - 1. x`),
 * and the indentation (every 2 columns could be one more list level, as in a nested list).
 * Within a paragraph: open `[` / `![` not yet closed, and emphasis delimiters (`*`, `_`, `~`)
 * that can open but not yet closed. It over-counts rather than under-counts: a real description
 * stays under 20; one that passes 64 loses its formatting, never the page.
 */
export const MAX_MARKDOWN_NESTING = 64;

/** How deep the Markdown could nest, stopping at the end of the line where it passes `stopAt`. Linear in the text. */
export function markdownNesting(text: string, stopAt = MAX_MARKDOWN_NESTING): number {
  let deepest = 0;
  let brackets = 0;
  let emphasis = 0;
  let i = 0;
  const n = text.length;
  while (i < n && deepest <= stopAt) {
    // ——— start of a line: indentation, then block quote and list markers ———
    let columns = 0;
    let blocks = 0;
    let blank = true;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 /* space */) columns++;
      else if (c === 9 /* tab */) columns += 4 - (columns % 4);
      else if (c === 62 /* > */ || isListMarkerAt(text, i)) {
        blocks++;
        while (i + 1 < n && isDigit(text.charCodeAt(i))) i++; // the digits of "12." (the loop's i++ takes the "."/")")
        if (text.charCodeAt(i + 1) === 32) i++; // the space that belongs to the marker is no indentation
      } else break;
      i++;
    }
    const eol = text.indexOf("\n", i);
    const end = eol === -1 ? n : eol;
    // Containers and inline nesting stack up (a link inside emphasis inside a list item): added up.
    const line = blocks + Math.floor(columns / 2);
    deepest = Math.max(deepest, line + brackets + emphasis);
    // ——— the rest of the line: brackets and emphasis (both end with the paragraph) ———
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 || c === 32 || c === 9) continue;
      blank = false;
      if (c === 92 /* \ */) {
        i++; // an escaped character opens nothing
      } else if (c === 91 /* [ */) {
        deepest = Math.max(deepest, line + ++brackets + emphasis);
      } else if (c === 93 /* ] */) {
        if (brackets > 0) brackets--;
      } else if (c === 42 /* * */ || c === 95 /* _ */ || c === 126 /* ~ */) {
        let runEnd = i + 1;
        while (runEnd < end && text.charCodeAt(runEnd) === c) runEnd++;
        const before = i > 0 ? text.charCodeAt(i - 1) : 32;
        const after = runEnd < n ? text.charCodeAt(runEnd) : 32;
        const opens = !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before));
        const closes = !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after));
        // GFM strikethrough takes `~` or `~~`: one level per run; `*` and `_` runs nest per character.
        const length = c === 126 ? 1 : runEnd - i;
        if (opens && !closes) deepest = Math.max(deepest, line + brackets + (emphasis += length));
        else if (closes && !opens) emphasis = Math.max(0, emphasis - length);
        else if (opens && closes) deepest = Math.max(deepest, line + brackets + emphasis + length);
        i = runEnd - 1;
      }
    }
    // A blank line ends the paragraph, and with it any open bracket or emphasis.
    if (blank && blocks === 0) brackets = emphasis = 0;
    i = end + 1;
  }
  return deepest;
}

export const tooDeep = (markdown: string) => markdownNesting(markdown) > MAX_MARKDOWN_NESTING;

export const TOO_DEEP_NOTE = "Shown as plain text: its formatting is nested too deeply to display.";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** The text as written, escaped, under a note: what a too-deep (or unrenderable) description becomes. */
export function plainMarkdownHtml(markdown: string): string {
  const escaped = markdown.replace(/[&<>"]/g, (c) => ESCAPES[c] as string);
  return `<p class="text-sm italic text-zinc-500">${TOO_DEEP_NOTE}</p><pre class="whitespace-pre-wrap break-words">${escaped}</pre>`;
}

/** `-`, `+`, `*` or `1.`/`1)` (up to 9 digits) followed by a space, tab or the end of the line. */
function isListMarkerAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  let next = i + 1;
  if (c === 45 || c === 43 || c === 42) {
    // "-", "+", "*"
  } else if (isDigit(c)) {
    while (next < text.length && next - i < 9 && isDigit(text.charCodeAt(next))) next++;
    const mark = text.charCodeAt(next);
    if (mark !== 46 && mark !== 41) return false; // "." or ")"
    next++;
  } else return false;
  const after = text.charCodeAt(next);
  return next >= text.length || after === 32 || after === 9 || after === 10 || after === 13;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
// ASCII punctuation (what CommonMark's flanking rules look at; other Unicode counts as a letter here).
const isPunctuation = (c: number) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
