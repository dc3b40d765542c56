// The highlighter's class names (lib/highlight/index.ts), styled in app/globals.css. Safe for the
// browser: no highlighter here.

/** A kind of token (lib/highlight's theme names them) → its class. Unnamed kinds take the text colour. */
export const TOKEN_CLASS = {
  keyword: "hl-k",
  string: "hl-s",
  "string-expression": "hl-s",
  comment: "hl-c",
  constant: "hl-n",
  function: "hl-f",
  parameter: "hl-p",
  punctuation: "hl-u",
  link: "hl-s",
} as const;

/** The span around a sample's key (components/docs/islands/key-picker.tsx writes into it). */
export const KEY_CLASS = "hl-key";

/** A key written in is a string: coloured as one. */
export const STRING_CLASS = TOKEN_CLASS.string;
