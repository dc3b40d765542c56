/**
 * Values from a spec (server URLs, examples, content types) quoted for the code samples, so that
 * pasting a sample runs the request and nothing else. Every sample builds its literals here, one
 * function per language, each following that language's documented escapes (tests/openapi/quote.test.ts
 * checks each with the real interpreter or compiler where the machine has it).
 */

// Invisible or line-breaking characters (U+2028/9, bidi overrides, zero-width) would hide what a
// literal holds, or end a line in some editors: spelled as \uXXXX instead.
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
const isInvisible = (c: string) => /^[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]$/.test(c);
const isControl = (c: string) => c < " " || c === "\u007f";
const isLoneSurrogate = (c: string) => c.length === 1 && c >= "\ud800" && c <= "\udfff";
const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).toUpperCase().padStart(width, "0");

/** Builds a double-quoted literal: `escape` spells the characters it must, the rest stay as they are. */
function quoted(value: string, escape: (c: string) => string | undefined): string {
  let out = '"';
  // for…of walks code points: a pair of surrogates stays one character, a lone one is seen alone.
  for (const c of value) out += escape(c) ?? c;
  return `${out}"`;
}

const COMMON: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

// What a terminal or its line editor acts on when pasted (^U wipes the line, ESC[201~ ends a
// bracketed paste, a tab completes), or what hides what a word holds: never pasted as it is.
const UNPASTABLE = /[\u0001-\u0008\u000b-\u001f\t\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

/**
 * A shell word that pastes safely into an interactive terminal. Printable text (newlines too) is
 * single-quoted, which sh, bash, zsh and fish read alike. Text with a control or invisible
 * character is ANSI-C quoted, $'…' (bash, zsh, ksh93; not dash or fish), with each such character
 * as \xNN escapes of its UTF-8 bytes: what is pasted is then printable ASCII for those characters.
 * NUL can't be in a command line: dropped.
 */
export function shellQuote(value: string): string {
  const text = value.replace(/\0/g, "");
  // ' and \ leave the quotes (fish reads \' and \\ inside them); nothing is special within.
  if (!UNPASTABLE.test(text)) return `'${text.replace(/['\\]/g, (c) => `'\\${c}'`)}'`;
  let out = "$'";
  let escaped = false; // the last thing written was a \xNN
  for (const c of text.toWellFormed()) {
    if (c === "\n") out += "\\n";
    else if (c === "\\") out += "\\\\";
    // ' as \x27, not \': bash's history expansion reads \' as the quote's end, and a ! after it as a history event.
    else if (c === "'" || UNPASTABLE.test(c)) {
      for (const byte of new TextEncoder().encode(c)) out += `\\x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      escaped = true;
      continue;
    }
    // A hex digit right after \xNN: a new word part, so that no shell reads it as a third digit.
    else out += escaped && /[0-9a-f]/i.test(c) ? `'$'${c}` : c;
    escaped = false;
  }
  return `${out}'`;
}

/** A string literal that JavaScript and Python read alike: JSON's escapes are theirs too. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Go's interpreted string ("…"): \xNN for control bytes, \uXXXX for invisible characters. Go
 * strings are UTF-8, where a lone surrogate can't go: U+FFFD, as it would be sent.
 */
export function goString(value: string): string {
  return quoted(value.toWellFormed(), (c) => COMMON[c] ?? (isControl(c) ? `\\x${hex(c, 2)}` : isInvisible(c) ? `\\u${hex(c, 4)}` : undefined));
}

/**
 * Java's string literal. Java turns every \uXXXX in the source into its character before reading
 * it, so control characters are octal escapes (a \u000a would end the line), and a value's own
 * backslashes are doubled (an escaped backslash before "u" starts no Unicode escape).
 */
export function javaString(value: string): string {
  return quoted(
    value,
    (c) =>
      COMMON[c] ?? (isControl(c) ? `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}` : isInvisible(c) || isLoneSurrogate(c) ? `\\u${hex(c, 4)}` : undefined),
  );
}

/** C#'s regular string literal ("…"); never \x, whose length varies (\x41B is one character). */
export function csharpString(value: string): string {
  return quoted(value, (c) => COMMON[c] ?? (isControl(c) || isInvisible(c) || isLoneSurrogate(c) ? `\\u${hex(c, 4)}` : undefined));
}

/** Ruby's double-quoted string; every # escaped, so no #{…}, #$x or #@x interpolates. UTF-8: no lone surrogate. */
export function rubyString(value: string): string {
  return quoted(value.toWellFormed(), (c) => COMMON[c] ?? (c === "#" ? "\\#" : isControl(c) || isInvisible(c) ? `\\u${hex(c, 4)}` : undefined));
}

/** PHP's double-quoted string; every $ escaped, so no $x, {$x} or ${x} interpolates. \xNN is exactly two digits. */
export function phpString(value: string): string {
  return quoted(
    value.toWellFormed(),
    (c) => COMMON[c] ?? (c === "$" ? "\\$" : isControl(c) ? `\\x${hex(c, 2)}` : isInvisible(c) ? `\\u{${hex(c, 4)}}` : undefined),
  );
}

/**
 * Text that reads well as it is, over several lines: no control character but newline and tab, no
 * invisible character, no lone surrogate. Other text is written on one line with escapes.
 */
function plain(text: string): boolean {
  return text.includes("\n") && text.isWellFormed() && ![...text].some((c) => (isControl(c) && c !== "\n" && c !== "\t") || isInvisible(c));
}
/** Plain, and no line ends in whitespace (Java's text blocks and C#'s raw strings would trim or reject it). */
// Java trims what Character.isWhitespace calls whitespace: Unicode spaces (U+2000…) too, bar the no-break ones.
const plainUntrimmed = (text: string) => plain(text) && !/[ \t\f\u1680\u2000-\u200a\u205f\u3000]$/m.test(text);

/** Multi-line text (a request body) as Go source: a raw string when it can be one (no backquote), else "…". */
export function goText(text: string): string {
  return plain(text) && !text.includes("`") ? `\`${text}\`` : goString(text);
}

/**
 * Multi-line text as a Java text block: backslashes doubled, every third quote of a run escaped,
 * the closing """ after an escaped line end (no newline added) and as indented as every line, so
 * that no line loses its own indentation.
 */
export function javaText(text: string, indent: string): string {
  if (!plainUntrimmed(text)) return javaString(text);
  const body = text.replace(/\\/g, "\\\\").replace(/"""/g, '""\\"');
  // Every line indented, empty ones too: a last empty line would otherwise be a bare "\\", unindented.
  return `"""\n${body
    .split("\n")
    .map((line) => indent + line)
    .join("\n")}\\\n${indent}"""`;
}

/**
 * Multi-line text as a C# raw string literal (C# 11): nothing inside is an escape, and its
 * delimiter is longer than any run of quotes in the text.
 */
export function csharpText(text: string, indent: string): string {
  if (!plainUntrimmed(text)) return csharpString(text);
  const quotes = '"'.repeat(Math.max(3, ...(text.match(/"+/g) ?? []).map((run) => run.length + 1)));
  return `${quotes}\n${text
    .split("\n")
    .map((line) => (line ? indent + line : line))
    .join("\n")}\n${indent}${quotes}`;
}

/** Multi-line text in single quotes (Ruby and PHP), where only \\ and \' are escapes. */
function singleQuotedText(text: string, fallback: (text: string) => string): string {
  return plain(text) ? `'${text.replace(/['\\]/g, (c) => `\\${c}`)}'` : fallback(text);
}
export const rubyText = (text: string) => singleQuotedText(text, rubyString);
export const phpText = (text: string) => singleQuotedText(text, phpString);

/** A JSON value as a JavaScript or Python expression, indented like JSON.stringify(value, null, 2). */
export function literal(value: unknown, language: "javascript" | "python", indent = ""): string {
  const python = language === "python";
  if (value === null || value === undefined || (typeof value === "number" && !Number.isFinite(value))) return python ? "None" : "null";
  if (typeof value === "boolean") return python ? (value ? "True" : "False") : String(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return stringLiteral(value);
  const inner = `${indent}  `;
  const lines = Array.isArray(value)
    ? value.map((item) => literal(item, language, inner))
    : // A "__proto__" key in an object literal would set the prototype: computed, it stays a key.
      Object.entries(value).map(([key, item]) => `${key === "__proto__" && !python ? '["__proto__"]' : stringLiteral(key)}: ${literal(item, language, inner)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return lines.length ? `${open}\n${lines.map((line) => inner + line).join(",\n")}\n${indent}${close}` : `${open}${close}`;
}
