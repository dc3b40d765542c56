import { h as createElement } from "preact";
import { render as renderToStaticMarkup } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { SafeMarkdown } from "@/components/docs/safe-markdown";
import { loadApiDocument } from "@/lib/openapi";
import { fixture, op, renderOperationPage } from "./helpers";

/** Every start tag in the HTML: React escapes `<` in text, so what matches here is real markup. */
function tags(html: string): { name: string; attrs: Record<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({
    name: (m[1] as string).toLowerCase(),
    attrs: Object.fromEntries([...(m[2] ?? "").matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map((a) => [(a[1] as string).toLowerCase(), a[2] ?? ""])),
  }));
}

const ALLOWED_TAGS = new Set(
  "article header section div p span code strong em a ul ol li h1 h2 h3 h4 h5 h6 table caption thead tbody tr th td details summary figure figcaption pre blockquote hr br del input".split(
    " ",
  ),
);

describe("a hostile spec renders inert", async () => {
  const doc = await loadApiDocument(fixture("hostile.yaml"));
  // The operation page, plus the API's own description as an overview page would show it.
  const html = renderOperationPage(doc, op(doc, "get-item")) + renderToStaticMarkup(createElement(SafeMarkdown, null, doc.description ?? ""));

  it("has no script, event handler, javascript: URL, frame or remote-loading element", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<(object|embed|svg|style|link|meta|form)\b/i);
    expect(html).not.toMatch(/<img src="http/i);
    for (const tag of tags(html)) {
      expect(ALLOWED_TAGS, `<${tag.name}>`).toContain(tag.name);
      for (const [attr, value] of Object.entries(tag.attrs)) {
        expect(attr, `<${tag.name} ${attr}>`).not.toMatch(/^on/);
        expect(["src", "srcset", "style", "action", "formaction", "data"]).not.toContain(attr);
        if (attr === "href") expect(value, `href="${value}"`).toMatch(/^(https?:\/\/|\/|#)/);
      }
    }
    // No attack text slipped into an attribute (where it could break out): only into escaped text.
    const attributeText = tags(html)
      .flatMap((t) => Object.values(t.attrs))
      .join(" ");
    expect(attributeText).not.toMatch(/javascript:|vbscript:|data:|onerror|onload|alert\(/i);
  });

  it("inputs only come from GFM task lists, disabled", () => {
    const inputs = tags(html).filter((t) => t.name === "input");
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.attrs).toMatchObject({ type: "checkbox", disabled: "" });
  });

  it("still shows the text, escaped", () => {
    // `<` must be escaped; a lone `>` in text can't start markup, and Preact leaves it as is.
    const text = html.replaceAll("&gt;", ">");
    expect(text).toContain("&lt;img src=x onerror=alert(4)>");
    expect(text).toContain("&lt;script>alert(9)&lt;/script>");
    expect(text).toContain("&lt;/code>&lt;/pre>&lt;script>alert(19)&lt;/script>");
    expect(text).toContain("&lt;b onmouseover=alert(20)>name&lt;/b>");
    // Markdown images become links (no remote load); unsafe links keep their text only.
    expect(html).toMatch(/<a href="https:\/\/evil\.example\/pixel2\.png"[^>]*>Image: pixel<\/a>/);
    expect(html).toMatch(/<a href="https:\/\/docs\.example\.com\/ok" rel="nofollow ugc noopener noreferrer"/);
    expect(html).toContain("<span>click me</span>");
    expect(html).toContain("<span>x</span>"); // [x](vbscript:…)
    expect(html).toContain("<span>ref-style</span>");
    expect(html).toContain("Text with an inline  image.");
    expect(html).toMatch(/<a href="https:\/\/evil\.example\/tracker\.gif"[^>]*>Image: tracker<\/a>/);
    expect(html).toContain("<span>data</span>"); // [data](data:text/html…)
    // Headings inside a description don't break the page outline.
    expect([...html.matchAll(/<h1/g)]).toHaveLength(1);
  });
});
