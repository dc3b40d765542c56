import { describe, expect, it } from "vitest";
import { highlight } from "@/lib/highlight";
import { markedSamples } from "@/lib/openapi/samples";
import type { TryItOperation } from "@/lib/openapi/try-it";
import { HOSTILE } from "../components/hostile-values";

/** The text a browser shows for highlighted HTML: tags gone, the three entities we write read back. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

const hostileOperation = {
  method: "POST",
  path: "/items/{id}",
  slug: "create-item",
  apiKeyRequired: true,
  parameters: [{ in: "path", name: "id", required: true, example: JSON.stringify(HOSTILE[18]) }],
  bodies: [{ contentType: 'application/json; x="</code></pre><script>alert(1)</script>"', example: JSON.stringify({ all: HOSTILE }) }],
} as unknown as TryItOperation;

describe("server-side highlighting of the samples", () => {
  const samples = markedSamples(hostileOperation, "https://api.example.com/<img src=x onerror=alert(1)>&amp;");

  it("shows exactly the sample's text, every tag and ampersand escaped", () => {
    for (const sample of samples) {
      const html = highlight(sample.code, sample.grammar, sample.key && { ...sample.key, attributes: { "data-sample-key": sample.key.spelling } });
      expect(text(html)).toBe(sample.code);
      // Only our own spans are elements: nothing from the spec became a tag.
      expect(html.match(/<[a-z]+/g)?.every((tag) => tag === "<span")).toBe(true);
    }
  });

  it("colours each language (a class per kind of token)", () => {
    for (const sample of samples) {
      const html = highlight(sample.code, sample.grammar);
      expect(html, sample.id).toMatch(/class="hl-s"/);
      expect(new Set(html.match(/class="hl-[a-z]"/g)).size, sample.id).toBeGreaterThanOrEqual(2);
    }
  });

  it("wraps the key's environment expression, and only it, in the key span", () => {
    for (const sample of samples) {
      const html = highlight(sample.code, sample.grammar, { ...sample.key!, attributes: { "data-sample-key": sample.key!.spelling } });
      const spans = [...html.matchAll(/<span class="hl-key" data-sample-key="(bare|quoted)">((?:<span class="[^"]*">[^<]*<\/span>|[^<])*)<\/span>/g)];
      expect(spans, sample.id).toHaveLength(1);
      expect(text(spans[0]![2]!)).toBe(sample.code.slice(sample.key!.start, sample.key!.end));
      expect(spans[0]![1]).toBe(sample.id === "curl" ? "bare" : "quoted");
    }
  });

  it("gives the same HTML every time (pages are cached and compared)", () => {
    const [sample] = samples;
    expect(highlight(sample!.code, sample!.grammar)).toBe(highlight(sample!.code, sample!.grammar));
  });
});
