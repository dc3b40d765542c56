import { h as createElement } from "preact";
import { render as renderToStaticMarkup } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { CodeSamples } from "@/components/docs/islands/code-samples";
import { highlight, MAX_LINE } from "@/lib/highlight";
import { buildSamples, MAX_SAMPLE, SAMPLE_LANGUAGES } from "@/lib/openapi/samples";
import type { TryItOperation } from "@/lib/openapi/try-it";

/**
 * A spec's very long strings (a path, a media type, parameter names) must not make an operation's
 * page huge, nor slow to render: the samples say they are too long to show instead, and lines
 * too long to highlight stay plain text.
 */
const LONG = 20_000;
const base = {
  method: "POST",
  slug: "long",
  apiKeyRequired: true,
  parameters: [],
  bodies: [{ contentType: "application/json", required: true, example: '{"a": 1}' }],
};
const queryParams = Array.from({ length: 100 }, (_, i) => ({ in: "query", name: `${i}${"n".repeat(LONG)}`, required: true, example: "1" }));
const OPERATIONS = {
  "a 20,000-character path": { ...base, path: `/${"p".repeat(LONG)}` },
  "a 20,000-character media type": { ...base, path: "/x", bodies: [{ contentType: `application/${"m".repeat(LONG)}+json`, required: true, example: "{}" }] },
  "100 required query parameters with 20,000-character names": { ...base, path: "/x", parameters: queryParams },
  "all of these": {
    ...base,
    path: `/${"p".repeat(LONG)}`,
    parameters: queryParams,
    bodies: [{ contentType: `application/${"m".repeat(LONG)}+json`, required: true, example: "{}" }],
  },
  "a 100 KB text body": { ...base, path: "/x", bodies: [{ contentType: "text/plain", required: true, example: "a \"b\" $c #{d} 'e' ".repeat(6_000) }] },
} as unknown as Record<string, TryItOperation>;

const render = (operation: TryItOperation) => renderToStaticMarkup(createElement(CodeSamples, { operation, baseUrl: "https://api.example.com" }));

describe("code samples from a spec with very long strings", () => {
  it.each(Object.keys(OPERATIONS))("render small for %s: a note in each language's panel", (name) => {
    const html = render(OPERATIONS[name]!);
    expect(html.length).toBeLessThanOrEqual(200_000);
    expect(html.match(/role="tabpanel"/g)).toHaveLength(SAMPLE_LANGUAGES.length);
    expect(html.match(/too long to show as a sample/g)).toHaveLength(SAMPLE_LANGUAGES.length);
  });

  it("still show every sample under the bounds in full", () => {
    // 1,900-character values (under 2,000), and samples under 16 KB.
    const op = { ...base, path: `/${"p".repeat(1_900)}`, parameters: [{ in: "query", name: "q".repeat(1_900), required: true, example: "v".repeat(1_900) }] };
    const samples = buildSamples(op as unknown as TryItOperation, "https://api.example.com");
    for (const code of Object.values(samples)) {
      expect(code.length).toBeLessThanOrEqual(MAX_SAMPLE);
      expect(code).toContain(`${"p".repeat(1_900)}?${"q".repeat(1_900)}=${"v".repeat(1_900)}`);
    }
    expect(render(op as unknown as TryItOperation)).not.toContain("too long to show");
  });

  it("leave a line longer than the highlighter's limit as plain text, marks kept", () => {
    const long = "a".repeat(MAX_LINE + 1);
    const code = `curl --request 'POST' --url '${long}' -H "x-api-key: $API_KEY"\necho 'next'`;
    const start = code.indexOf("$API_KEY");
    const html = highlight(code, "shellscript", { start, end: start + 8, attributes: { "data-sample-key": "bare" } });
    expect(html.split("\n")[0]).toBe(`curl --request 'POST' --url '${long}' -H "x-api-key: <span class="hl-key" data-sample-key="bare">$API_KEY</span>"`);
    // The next line is highlighted again.
    expect(html.split("\n")[1]).toMatch(/<span class="[^"]+">'next'<\/span>/);
  });
});
