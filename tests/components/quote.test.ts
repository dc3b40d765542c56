import { describe, expect, it } from "vitest";
import { literal, shellQuote, stringLiteral } from "@/lib/openapi/quote";
import { argvOf, hasPython, itNeeds, HOSTILE, nothingRan, python, SHELLS } from "./hostile-values";

describe("shellQuote", () => {
  it.each(SHELLS)("passes every value to the command as one argument, as is, in %s", (shell) => {
    const argv = argvOf(shell, `curl ${HOSTILE.map(shellQuote).join(" ")}`);
    // A command line can't carry NUL (dropped) nor a lone surrogate (UTF-8 makes it U+FFFD).
    expect(argv).toEqual(HOSTILE.map((v) => Buffer.from(v.replaceAll("\0", "")).toString()));
    nothingRan();
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
