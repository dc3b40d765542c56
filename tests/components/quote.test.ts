import { describe, expect, it } from "vitest";
import { literal, shellQuote, stringLiteral } from "@/lib/openapi/quote";
import { ANSI_C_SHELLS, argvOf, hasPython, itNeeds, HOSTILE, nothingRan, python, SHELLS } from "./hostile-values";

/** C0 and C1 controls but newline, and the invisible or bidi characters: what a terminal or a reader would not see as text. */
const UNPASTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

describe("shellQuote", () => {
  it.each(ANSI_C_SHELLS)("passes every value to the command as one argument, as is, in %s", (shell) => {
    const argv = argvOf(shell, `curl ${HOSTILE.map(shellQuote).join(" ")}`);
    // A command line can't carry NUL (dropped) nor a lone surrogate (UTF-8 makes it U+FFFD).
    expect(argv).toEqual(HOSTILE.map((v) => Buffer.from(v.replaceAll("\0", "")).toString()));
    nothingRan();
  });

  // dash and fish have no $'…': there, every value without a control or invisible character.
  const printable = HOSTILE.filter((v) => !UNPASTABLE.test(v.replaceAll("\0", "")));
  it.each(SHELLS)("passes every printable value as one argument, single-quoted, in %s", (shell) => {
    expect(printable.length).toBeGreaterThan(10);
    expect(printable.map(shellQuote).every((word) => word.startsWith("'"))).toBe(true);
    expect(argvOf(shell, `curl ${printable.map(shellQuote).join(" ")}`)).toEqual(printable.map((v) => Buffer.from(v.replaceAll("\0", "")).toString()));
    nothingRan();
  });

  it("pastes no control or invisible character: those are \\xNN escapes in $'…'", () => {
    for (const value of [...HOSTILE, "\u0085 \u0080\u009f \u2066\u2069 \u200f \u00ad"])
      expect(shellQuote(value), JSON.stringify(value)).not.toMatch(UNPASTABLE);
    expect(shellQuote("a\x15; touch x #")).toBe("$'a\\x15; touch x #'");
    expect(shellQuote("a\x1b[201~\x15x")).toBe("$'a\\x1B[201~\\x15x'");
    // UTF-8 bytes, whatever the locale; ' as \x27 (a \' would end the quote for bash's history expansion); a hex digit after an escape in a new part.
    expect(shellQuote("\u200bit's\tA!\n")).toBe("$'\\xE2\\x80\\x8Bit\\x27s\\x09'$'A!\\n'");
    expect(shellQuote("a\\b\rz")).toBe("$'a\\\\b\\x0Dz'");
    // Newlines alone stay as they are, in single quotes.
    expect(shellQuote("a\nb")).toBe("'a\nb'");
  });

  it("closes the quotes for ' and \\ only", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("a\\b")).toBe("'a'\\\\'b'");
    expect(shellQuote('$(id) `id` "x"')).toBe("'$(id) `id` \"x\"'");
  });
});

describe("stringLiteral", () => {
  it("is read back as the same string by JavaScript", () => {
    for (const value of HOSTILE) expect(new Function(`return ${stringLiteral(value)};`)(), JSON.stringify(value)).toBe(value);
  });

  itNeeds(
    hasPython,
    "python3",
    "python3",
  )("and by Python", () => {
    expect(python(`import json\nprint(json.dumps([${HOSTILE.map(stringLiteral).join(", ")}]))`)).toEqual(HOSTILE);
  });

  it("spells invisible and line-breaking characters as escapes", () => {
    expect(stringLiteral("a\u2028b\u2029c\u202ed\0")).toBe('"a\\u2028b\\u2029c\\u202ed\\u0000"');
    for (const value of HOSTILE) expect(stringLiteral(value)).not.toMatch(/[\n\r\u2028\u2029\u202e\u200b\ufeff\0]/);
  });
});

describe("literal", () => {
  const value = {
    name: HOSTILE[0],
    tags: HOSTILE,
    [HOSTILE[2]!]: { true: true, false: false, null: null, count: -1.5e21, zero: 0 },
    __proto__x: "not special",
    nested: [[], {}, [null, [true]]],
  };
  const withProto = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as object;

  it("is the same value in JavaScript, a __proto__ key included", () => {
    expect(JSON.stringify(new Function(`return ${literal(value, "javascript")};`)())).toBe(JSON.stringify(value));
    const proto = new Function(`return ${literal(withProto, "javascript")};`)() as object;
    expect(Object.keys(proto)).toEqual(["__proto__", "ok"]);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  itNeeds(
    hasPython,
    "python3",
    "python3",
  )("and in Python, with True, False and None", () => {
    const source = literal(value, "python");
    expect(source).toContain('"true": True');
    expect(source).toContain('"null": None');
    expect(python(`import json\nprint(json.dumps([${source}, ${literal(withProto, "python")}]))`)).toEqual([value, withProto]);
  });

  it("indents like JSON", () => {
    expect(literal({ a: [1, "x"], b: {} }, "javascript")).toBe('{\n  "a": [\n    1,\n    "x"\n  ],\n  "b": {}\n}');
    expect(literal([false, null], "python", "  ")).toBe("[\n    False,\n    None\n  ]");
  });
});
