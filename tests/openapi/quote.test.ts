import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csharpString, csharpText, goString, goText, javaString, javaText, phpString, phpText, rubyString, rubyText, stringLiteral } from "@/lib/openapi/quote";
import { hasPython, itNeeds, HOSTILE } from "../components/hostile-values";

/**
 * Every language's literal, read back: by the real interpreter or compiler where this machine has
 * it, and always by a reader written here from the language's documented escapes (so a machine
 * without Go, Ruby, PHP or .NET still checks them). Each must give back exactly the value.
 */

const VALUES = [
  ...HOSTILE,
  "#{`touch pwned`} #$0 #@x \\#{x}",
  "${x} {$x} $x $ {$",
  "\\u0022 \\u000a \\\\u0022 \\uuuu0041",
  '""" """" """"" "',
  "\\x41B \\0 \\01 \\7",
  "\x01\x1b\x7f\u0085 controls",
  'ends with a quote"',
  "a\tb",
  "https://api.example.com/x?a=1&b=%22",
  "x".repeat(20_000),
];

/** Bodies over several lines, as the samples send them: pretty JSON (with hostile strings) and text. */
const TEXTS = [
  JSON.stringify({ name: HOSTILE[0], all: HOSTILE, ok: true, quotes: '"""', tick: "`", tab: "\t" }, null, 2),
  JSON.stringify({ a: "b" }, null, 2),
  "line one\n  indented\n\n\tlast\n",
  "  starts indented\nthen not",
  'ends in quotes""\n""',
  "trailing space \nnext",
  // Java's text blocks trim what Character.isWhitespace calls whitespace, Unicode spaces too; not the no-break ones.
  "trailing em space\u2003\nideographic\u3000\nnext",
  "U+205F\u205f\nU+1680\u1680\nU+2000\u2000\nU+200A\u200a\nend",
  "no-break space\u00a0\nnarrow no-break\u202f\nend",
  "\n",
  "a\r\nb",
  "`backquote`\nline",
  "'single'\n\\ and \\'\n",
  "bidi \u202e\nline",
  "lone \ud83d\nsurrogate",
  '}\n"""\n',
];

const utf8 = (value: string) => value.toWellFormed();

// ---------------------------------------------------------------------------------------------
// Readers from the documented escapes. Each throws where the language would refuse the literal
// or read part of it as code (an interpolation).

function unquote(literal: string, open: string, close = open): string {
  if (!literal.startsWith(open) || !literal.endsWith(close) || literal.length < open.length + close.length)
    throw new Error(`not a literal: ${literal.slice(0, 40)}`);
  return literal.slice(open.length, literal.length - close.length);
}
const cp = (hex: string) => String.fromCodePoint(parseInt(hex, 16));
const unit = (hex: string) => String.fromCharCode(parseInt(hex, 16));

/** Go (go.dev/ref/spec#String_literals): interpreted strings hold no raw newline; \u must be a valid code point. */
function readGo(literal: string): string {
  if (literal.startsWith("`")) return unquote(literal, "`").replace(/\r/g, "");
  const body = unquote(literal, '"');
  let out = "";
  const bytes: number[] = [];
  const flush = () => {
    out += Buffer.from(bytes).toString();
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\n" || c === '"') throw new Error("Go: raw newline or quote");
    if (c !== "\\") {
      flush();
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };
    if (e! in simple) {
      flush();
      out += simple[e!];
    } else if (e === "x" && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      const n = parseInt(body.slice(i + 1, i + 5), 16);
      if (n >= 0xd800 && n <= 0xdfff) throw new Error("Go: surrogate half in \\u");
      flush();
      out += cp(body.slice(i + 1, i + 5));
      i += 4;
    } else throw new Error(`Go: unknown escape \\${e}`);
  }
  flush();
  return out;
}

/** Java (JLS 3.3, 3.10.5, 3.10.6): Unicode escapes first, then string escapes; text blocks strip indentation. */
function javaUnicode(source: string): string {
  return source.replace(/\\+u+([0-9a-fA-F]{4})/g, (match, hex: string) => {
    const slashes = match.match(/^\\+/)![0].length;
    // Only a backslash preceded by an even number of backslashes starts one.
    return slashes % 2 === 1 ? "\\".repeat(slashes - 1) + unit(hex) : match;
  });
}
function javaEscapes(body: string, textBlock: boolean): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (!textBlock && (c === "\n" || c === "\r" || c === '"')) throw new Error("Java: raw line end or quote");
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", s: " ", '"': '"', "'": "'", "\\": "\\" };
    const octal = body.slice(i).match(/^(?:[0-3][0-7]{2}|[0-7]{1,2})/);
    if (e in simple) out += simple[e];
    else if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8));
      i += octal[0].length - 1;
    } else if (textBlock && e === "\n") continue;
    else throw new Error(`Java: unknown escape \\${e}`);
  }
  return out;
}
function readJava(literal: string): string {
  const source = javaUnicode(literal);
  if (!source.startsWith('"""')) return javaEscapes(unquote(source, '"'), false);
  // A text block: content from the line after the opening delimiter to the first unescaped """.
  const content = source.slice(source.indexOf("\n") + 1);
  let end = -1;
  for (let i = 0; i < content.length; i++) {
    if (content[i] === "\\") i++;
    else if (content.startsWith('"""', i)) {
      end = i;
      break;
    }
  }
  if (end !== content.length - 3) throw new Error("Java: text block closes early");
  const lines = content.slice(0, end).split("\n");
  const significant = lines.filter((line, i) => line.trim() !== "" || i === lines.length - 1);
  const strip = Math.min(...significant.map((line) => line.match(/^[ \t\f]*/)![0].length));
  const stripped = lines.map((line) => (line.trim() === "" ? "" : line.slice(strip).replace(/[ \t\f]+$/, "")));
  return javaEscapes(stripped.join("\n"), true);
}

/** C# (regular string and raw string literals, C# 11): a regular string holds no raw line break. */
function readCsharp(literal: string): string {
  const raw = literal.match(/^("{3,})\n/);
  if (raw) {
    const quotes = raw[1]!;
    const lines = literal.slice(quotes.length + 1).split("\n");
    const last = lines.pop()!;
    const closing = last.match(/^([ \t]*)("+)$/);
    if (!closing || closing[2] !== quotes) throw new Error("C#: raw string not closed on its own line");
    const indent = closing[1]!;
    const content = lines.map((line) => {
      if (line.trim() === "") return "";
      if (!line.startsWith(indent)) throw new Error("C#: raw string line less indented than its closing delimiter");
      return line.slice(indent.length);
    });
    const text = content.join("\n");
    if (text.includes(quotes)) throw new Error("C#: raw string closes early");
    return text;
  }
  const body = unquote(literal, '"');
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (/[\n\r\u0085\u2028\u2029"]/.test(c)) throw new Error("C#: raw line break or quote");
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple: Record<string, string> = { "'": "'", '"': '"', "\\": "\\", "0": "\0", a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
    if (e in simple) out += simple[e];
    else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += unit(body.slice(i + 1, i + 5));
      i += 4;
    } else throw new Error(`C#: unknown escape \\${e}`);
  }
  return out;
}

/** Ruby (doc/syntax/literals.rdoc): single quotes know \\ and \' only; double quotes interpolate #{ #$ #@. */
function readRuby(literal: string): string {
  if (literal.startsWith("'")) return readSingleQuoted(literal);
  const body = unquote(literal, '"');
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') throw new Error("Ruby: unescaped quote");
    if (c === "#" && /[{$@]/.test(body[i + 1] ?? "")) throw new Error("Ruby: interpolation");
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple: Record<string, string> = { n: "\n", t: "\t", s: " ", r: "\r", e: "\x1b", a: "\x07", b: "\b", f: "\f", v: "\v" };
    if (e in simple) out += simple[e];
    else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += cp(body.slice(i + 1, i + 5));
      i += 4;
    } else if (/[0-7xucCM\n]/.test(e)) throw new Error(`Ruby: escape \\${e} not expected here`);
    else out += e; // \\ \" \# and any other character stand for themselves
  }
  return out;
}

/** PHP (language.types.string): single quotes know \\ and \' only; double quotes interpolate $x, {$x}, ${x}. */
function readPhp(literal: string): string {
  if (literal.startsWith("'")) return readSingleQuoted(literal);
  const body = unquote(literal, '"');
  let out = "";
  const bytes: number[] = [];
  const flush = () => {
    out += Buffer.from(bytes).toString();
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') throw new Error("PHP: unescaped quote");
    if (c === "$") throw new Error("PHP: interpolation");
    if (c !== "\\") {
      flush();
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", v: "\v", e: "\x1b", f: "\f", "\\": "\\", $: "$", '"': '"' };
    const hexByte = body.slice(i + 1).match(/^[0-9a-fA-F]{1,2}/);
    const braced = body.slice(i + 1).match(/^\{([0-9a-fA-F]+)\}/);
    if (e in simple) {
      flush();
      out += simple[e];
    } else if (e === "x" && hexByte) {
      bytes.push(parseInt(hexByte[0], 16));
      i += hexByte[0].length;
    } else if (e === "u" && braced) {
      flush();
      out += cp(braced[1]!);
      i += braced[0].length;
    } else if (/[0-7]/.test(e)) throw new Error("PHP: octal escape not expected");
    else {
      // An unknown escape stays as written.
      flush();
      out += `\\${e}`;
    }
  }
  flush();
  return out;
}

function readSingleQuoted(literal: string): string {
  const body = unquote(literal, "'");
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "'") throw new Error("unescaped single quote");
    if (c === "\\" && (body[i + 1] === "\\" || body[i + 1] === "'")) out += body[++i];
    else out += c;
  }
  return out;
}

describe("literals read back by each language's documented escapes", () => {
  const cases: [string, (v: string) => string, (l: string) => string, (v: string) => string][] = [
    ["Go string", goString, readGo, utf8],
    ["Go text", goText, readGo, utf8],
    ["Java string", javaString, readJava, (v) => v],
    ["Java text block", (v) => javaText(v, "        "), readJava, (v) => v],
    ["C# string", csharpString, readCsharp, (v) => v],
    ["C# raw string", (v) => csharpText(v, "    "), readCsharp, (v) => v],
    ["Ruby string", rubyString, readRuby, utf8],
    ["Ruby text", rubyText, readRuby, utf8],
    ["PHP string", phpString, readPhp, utf8],
    ["PHP text", phpText, readPhp, utf8],
  ];
  for (const [name, quote, read, expected] of cases)
    it(name, () => {
      for (const value of [...VALUES, ...TEXTS]) {
        const literal = quote(value);
        expect(read(literal), JSON.stringify(literal.slice(0, 200))).toBe(expected(value));
        // Nothing that would hide what it holds, and no NUL (the samples' key mark).
        expect(literal).not.toMatch(/[\0\u2028\u2029\u202e\u200b\ufeff]/);
      }
    });

  it("writes multi-line bodies over several lines, as they read", () => {
    const json = TEXTS[1]!;
    expect(goText(json)).toBe(`\`${json}\``);
    expect(rubyText(json)).toBe(`'${json}'`);
    expect(phpText(json)).toBe(`'${json}'`);
    expect(javaText(json, "  ")).toBe('"""\n  {\n    "a": "b"\n  }\\\n  """');
    expect(csharpText(json, "  ")).toBe('"""\n  {\n    "a": "b"\n  }\n  """');
    expect(csharpText('a """" b\nc', "")).toMatch(/^"{5}\n/);
    // A line ending in a space Java would trim: an escaped string instead; a no-break space stays.
    expect(javaText("a\u3000\nb", "  ")).toBe(javaString("a\u3000\nb"));
    expect(javaText("a\u00a0\nb", "  ")).toBe('"""\n  a\u00a0\n  b\\\n  """');
  });
});

// ---------------------------------------------------------------------------------------------
// The real thing, where this machine has it. Each program prints every value as hex (UTF-16 code
// units for Java, JavaScript and Python; UTF-8 bytes for Go, Ruby and PHP).

const has = (command: string, args: string[]) => {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const hasJava = has("javac", ["-version"]);
const hasGo = has("go", ["version"]);
const hasRuby = has("ruby", ["-e", "1"]);
const hasPhp = has("php", ["-r", "1;"]);

const dir = mkdtempSync(path.join(tmpdir(), "portico-literals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(command, args, { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, ...env } })
    .trim()
    .split("\n");

const ALL = [...VALUES, ...TEXTS];
const utf16Hex = (v: string) => [...Array(v.length).keys()].map((i) => v.charCodeAt(i).toString(16).padStart(4, "0")).join("");
const utf8Hex = (v: string) => Buffer.from(v.toWellFormed()).toString("hex");

describe("literals read back by the languages themselves", () => {
  it("JavaScript", () => {
    for (const value of ALL) expect(new Function(`return ${stringLiteral(value)};`)()).toBe(value);
  });

  itNeeds(
    hasPython,
    "python3",
    "python3",
  )("Python", () => {
    const source = `import sys\nfor s in [${ALL.map(stringLiteral).join(", ")}]: print(s.encode('utf-16-le', 'surrogatepass').hex())`;
    const le = (v: string) => Buffer.from(utf16Hex(v), "hex").swap16().toString("hex");
    expect(run("python3", ["-c", source])).toEqual(ALL.map(le));
  });

  itNeeds(hasJava, "javac", "default-jdk-headless")(
    "Java: strings and text blocks",
    () => {
      const literals = [...ALL.map(javaString), ...ALL.map((v) => javaText(v, "            "))];
      writeFileSync(
        path.join(dir, "Main.java"),
        `public class Main {\n    public static void main(String[] args) {\n        String[] values = {\n${literals.join(",\n")}\n        };\n        for (String s : values) { StringBuilder b = new StringBuilder(); for (char c : s.toCharArray()) b.append(String.format("%04x", (int) c)); System.out.println(b); }\n    }\n}\n`,
      );
      run("javac", ["-encoding", "UTF-8", "Main.java"]);
      expect(run("java", ["-cp", ".", "Main"])).toEqual([...ALL, ...ALL].map(utf16Hex));
    },
    60_000,
  );

  itNeeds(hasGo, "go", "golang-go")(
    "Go: strings and raw strings",
    () => {
      const literals = [...ALL.map(goString), ...ALL.map(goText)];
      writeFileSync(
        path.join(dir, "main.go"),
        `package main\n\nimport (\n\t"encoding/hex"\n\t"fmt"\n)\n\nfunc main() {\n\tfor _, s := range []string{\n${literals.join(",\n")},\n\t} {\n\t\tfmt.Println(hex.EncodeToString([]byte(s)))\n\t}\n}\n`,
      );
      expect(run("go", ["run", "main.go"], { GOCACHE: path.join(dir, "gocache"), GO111MODULE: "off" })).toEqual([...ALL, ...ALL].map(utf8Hex));
    },
    120_000,
  );

  itNeeds(
    hasRuby,
    "ruby",
    "ruby",
  )("Ruby: double- and single-quoted", () => {
    const literals = [...ALL.map(rubyString), ...ALL.map(rubyText)];
    writeFileSync(path.join(dir, "main.rb"), `# encoding: utf-8\n[\n${literals.join(",\n")}\n].each { |s| puts s.unpack1("H*") }\n`);
    expect(run("ruby", ["main.rb"])).toEqual([...ALL, ...ALL].map(utf8Hex));
  });

  itNeeds(
    hasPhp,
    "php",
    "php-cli",
  )("PHP: double- and single-quoted", () => {
    const literals = [...ALL.map(phpString), ...ALL.map(phpText)];
    writeFileSync(path.join(dir, "main.php"), `<?php\nforeach ([\n${literals.join(",\n")}\n] as $s) echo bin2hex($s), "\\n";\n`);
    expect(run("php", ["main.php"])).toEqual([...ALL, ...ALL].map(utf8Hex));
  });
});
