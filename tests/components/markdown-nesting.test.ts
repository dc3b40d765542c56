import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { markdownHtml } from "@/components/docs/safe-markdown";
import { Markdown } from "@/components/ui/markdown";
import { MAX_MARKDOWN_NESTING, TOO_DEEP_NOTE, markdownNesting } from "@/lib/markdown-nesting";

/** Markdown nested `n` levels deep, for each construct that makes remark (and the renderers after it) recurse. */
const NESTINGS: Record<string, (n: number) => string> = {
  "block quotes": (n) => `${">".repeat(n)} deep`,
  "spaced block quotes": (n) => `${"> ".repeat(n)}deep`,
  "list items on one line": (n) => `${"- ".repeat(n)}deep`,
  "ordered list items": (n) => `${"1. ".repeat(n)}deep`,
  "quotes and lists": (n) => `${"> * ".repeat(n / 2)}deep`,
  // Each level indented 2 more columns: 9,000 levels would be 81 MB, past any spec (10 MB), so 3,000 at most.
  "indented lists": (n) => Array.from({ length: Math.min(n, 3_000) }, (_, i) => `${"  ".repeat(i)}- item ${i}`).join("\n"),
  emphasis: (n) => `${"*a ".repeat(n)}deep${" a*".repeat(n)}`,
  "a run of asterisks": (n) => `${"*".repeat(n)}deep${"*".repeat(n)}`,
  underscores: (n) => `${"_a ".repeat(n)}deep${" a_".repeat(n)}`,
  strikethrough: (n) => `${"~~a ".repeat(n)}deep${" a~~".repeat(n)}`,
  "unclosed emphasis": (n) => `${"*a ".repeat(n)}deep`,
  links: (n) => `${"[".repeat(n)}deep${"](https://example.com)".repeat(n)}`,
  images: (n) => `${"![".repeat(n)}deep${"](x)".repeat(n)}`,
  "unclosed brackets": (n) => `${"[".repeat(n)}deep`,
};

describe.each([1_000, 9_000])("Markdown nested %i levels", (levels) => {
  it.each(Object.keys(NESTINGS))("%s: shown as plain text under a note, at once, on every renderer", (kind) => {
    const text = (NESTINGS[kind] as (n: number) => string)(levels);
    const started = performance.now();
    const html = markdownHtml(text);
    const guide = renderToStaticMarkup(createElement(Markdown, null, text));
    // Generous (measured 0.1–30 ms; before, 1,000 levels overflowed the stack and 9,000 took 35 s).
    expect(performance.now() - started).toBeLessThan(2_000);
    for (const out of [html, guide]) {
      expect(out).toContain(TOO_DEEP_NOTE);
      expect(out).toMatch(/<pre[^>]*>/);
      expect(out).not.toMatch(/<(blockquote|ul|ol|em|strong|del|a)\b/);
    }
    expect(html).toContain("deep");
  });
});

describe("what is measured", () => {
  it("counts each kind of nesting once per level", () => {
    for (const [kind, make] of Object.entries(NESTINGS)) {
      if (kind === "quotes and lists") continue;
      expect(markdownNesting(make(30), Infinity), kind).toBe(30);
    }
  });

  it("stops at the line that passes the bound", () => {
    const lines = Array.from({ length: 100_000 }, () => ">".repeat(100)).join("\n");
    expect(markdownNesting(lines)).toBe(100);
  });

  it("ends brackets and emphasis with the paragraph", () => {
    const paragraphs = Array.from({ length: 200 }, () => "[unclosed *unclosed").join("\n\n");
    expect(markdownNesting(paragraphs, Infinity)).toBe(2);
  });

  it("escapes the plain text", () => {
    const html = markdownHtml(`${">".repeat(100)} <script>alert(1)</script> & "x"`);
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;");
  });
});

describe("ordinary Markdown renders as before", () => {
  const normal = [
    "# Title",
    "",
    "Some *emphasis*, **strong**, ~~gone~~, `code` and a [link](https://example.com) with snake_case_names and 2 * 3 * 4.",
    "",
    "> A quote",
    "> > nested once",
    "",
    "- one",
    "  - two",
    "    - three",
    "      1. four",
    "",
    "```json",
    JSON.stringify({ a: { b: { c: { d: [1, 2, { e: "f" }] } } } }, null, 2),
    "```",
  ].join("\n");

  it("is well under the bound, and formatted", () => {
    expect(markdownNesting(normal, Infinity)).toBeLessThan(10);
    const html = markdownHtml(normal);
    expect(html).not.toContain(TOO_DEEP_NOTE);
    for (const tag of [
      "<em>emphasis</em>",
      "<strong>strong</strong>",
      "<del>gone</del>",
      "<code>code</code>",
      "<blockquote>",
      '<a href="https://example.com"',
      "<ol>",
    ]) {
      expect(html).toContain(tag);
    }
    expect(html.match(/<ul>/g)).toHaveLength(3);
    expect(renderToStaticMarkup(createElement(Markdown, null, normal))).toContain("<em>emphasis</em>");
  });

  it("no guide in catalog/ and no description in its specs comes near the bound", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const texts = [
      readFileSync(path.join(root, "catalog/home.md"), "utf8"),
      ...readdirSync(path.join(root, "catalog/guides")).map((f) => readFileSync(path.join(root, "catalog/guides", f), "utf8")),
    ];
    const descriptions = (node: unknown): string[] =>
      typeof node !== "object" || node === null
        ? []
        : Object.entries(node).flatMap(([key, value]) => (key === "description" && typeof value === "string" ? [value] : descriptions(value)));
    // The real specs this machine keeps (as tests/openapi/large-specs.test.ts reads them), wherever the checkout is.
    for (const file of ["/work/shared/data/openapi/twilio_api_v2010.json", "/work/shared/data/openapi/twilio_verify_v2.json"]) {
      texts.push(...descriptions(JSON.parse(readFileSync(file, "utf8"))));
    }
    expect(texts.length).toBeGreaterThan(1_000);
    const deepest = Math.max(...texts.map((t) => markdownNesting(t, Infinity)));
    expect(deepest).toBeLessThan(MAX_MARKDOWN_NESTING / 4);
  });
});
