/**
 * Values from a spec (server URLs, examples, content types) quoted for the code samples, so that
 * pasting a sample runs the request and nothing else. Every sample builds its literals here.
 */

// Invisible or line-breaking characters (U+2028/9, bidi overrides, zero-width) would hide what a
// literal holds, or end a line in some editors: spelled as \uXXXX instead.
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** A single-quoted shell word (sh, bash, zsh, fish). NUL can't be in a command line: dropped. */
export function shellQuote(value: string): string {
  // ' and \ leave the quotes (fish reads \' and \\ inside them); nothing is special within.
  return `'${value.replace(/\0/g, "").replace(/['\\]/g, (c) => `'\\${c}'`)}'`;
}

/** A string literal that JavaScript and Python read alike: JSON's escapes are theirs too. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

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
