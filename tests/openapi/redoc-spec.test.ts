import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { forRedoc, withoutRawHtml } from "@/components/docs/redoc-spec";
import { fixture } from "./helpers";

/** Every string under a `description` key, with its path. */
function descriptions(node: unknown, at = "$"): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((item, i) => descriptions(item, `${at}[${i}]`));
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "description" && typeof value === "string" ? [[`${at}.${key}`, value] as [string, string]] : descriptions(value, `${at}.${key}`),
  );
}

describe("the Redoc view's copy of a hostile spec", () => {
  const original = parseYaml(fixture("hostile.yaml").text) as Record<string, unknown>;
  const spec = forRedoc(original) as typeof original;

  it("has no raw HTML left in any description, however a Markdown parser reads it", () => {
    const all = descriptions(spec);
    expect(all.length).toBeGreaterThan(8);
    for (const [at, text] of all) {
      // Outside code spans, not one `<` that could open a tag (an escaped \< or &lt; can't).
      const outsideCode = text.replace(/`[^`]*`/g, "");
      expect(outsideCode, at).not.toMatch(/(^|[^\\])<[a-z/!?]/i);
      expect(text, at).not.toMatch(/!\[/);
    }
    const info = (spec.info as { description: string }).description;
    expect(info).toContain("Text with an inline  image.");
    expect(info).toContain("[Image: tracker](https://evil.example/tracker.gif)");
    expect(info).toContain(
      "Styled body{display:none} text, &lt;script>alert(35)&lt;/script>, \\\\bold and &lt;img src=https://evil.example/i3.png onerror=alert(36)>",
    );
    expect(JSON.stringify(spec)).toContain("Inline `<script>alert(9)</script>` code"); // code stays code
  });

  it("drops links Redoc would build from URL fields unless http(s), mailto or relative", () => {
    const get = (spec.paths as Record<string, Record<string, { externalDocs: object }>>)["/items/{id}"]!.get!;
    expect(get.externalDocs).toEqual({ description: "More docs" });
    expect(
      forRedoc({
        info: {
          termsOfService: "javascript:alert(1)",
          contact: { url: "https://ok.example" },
          license: { name: "x", url: "data:text/html,x" },
          "x-logo": { url: "/logo.svg", href: "vbscript:x" },
        },
      }),
    ).toEqual({
      info: { contact: { url: "https://ok.example" }, license: { name: "x" }, "x-logo": { url: "/logo.svg" } },
    });
  });

  it("cleans every other field Redoc renders as Markdown, and every link field, wherever it is", () => {
    const evil = "x<style>body{display:none}</style><form action=/account method=post><button>Go</button></form>";
    const cleaned = forRedoc({
      info: { title: "T", version: "1", summary: evil },
      paths: { "/a": { get: { summary: evil, responses: { "200": { description: "ok", "x-summary": evil } } } } },
      components: {
        schemas: { Kind: { type: "string", enum: ["a<b>"], "x-enumDescriptions": { "a<b>": evil } } },
        securitySchemes: {
          oauth: { type: "oauth2", flows: { implicit: { authorizationUrl: "javascript:alert(1)", scopes: { "read:pets": evil } } } },
          oidc: { type: "openIdConnect", openIdConnectUrl: "javascript:alert(2)" },
        },
        examples: { remote: { externalValue: "javascript:alert(3)" } },
      },
    });
    const text = JSON.stringify(cleaned);
    expect(text).not.toMatch(/<(style|form|button)/);
    expect(text).not.toContain("javascript:");
    // Enum values and the map's keys are data, shown as text: left as written.
    expect(text).toContain('"enum":["a<b>"]');
    expect(text).toContain('"x-enumDescriptions":{"a<b>":');
    expect(text).toContain('"scopes":{"read:pets":');
  });

  it("leaves everything else as the owner wrote it", () => {
    const strip = (node: unknown): unknown =>
      JSON.parse(JSON.stringify(node, (key, value: unknown) => (["description", "summary", "x-summary", "externalDocs"].includes(key) ? undefined : value)));
    expect(strip(spec)).toEqual(strip(original));
    expect((spec.info as { title: string }).title).toBe("<script>alert('title')</script> Hostile API"); // Redoc shows it as text
  });
});

describe("withoutRawHtml", () => {
  it.each([
    [
      "plain Markdown is untouched",
      "**bold**, `<code>`, [a link](https://x.example) and <https://auto.example/link>",
      "**bold**, `<code>`, [a link](https://x.example) and <https://auto.example/link>",
    ],
    ["fenced code keeps its markup", "```xml\n<pet><name>Rex</name></pet>\n```", "```xml\n<pet><name>Rex</name></pet>\n```"],
    ["tags are cut out", "Use <b>bold</b><br>here", "Use boldhere"],
    ["a style block in the middle of text", "Text <style>body{display:none}</style> more", "Text body{display:none} more"],
    ["a script block", "a\n<script>\nalert(1)\n</script>\nb", "a\n\nb"],
    [
      "HTML that only another parser sees is escaped",
      "x <img src=https://evil.example/p.png onerror=alert(1)>",
      "x &lt;img src=https://evil.example/p.png onerror=alert(1)>",
    ],
    ["tags cut out don't join into new ones", "<<b>script>alert(1)<</b>/script>", "&lt;script>alert(1)&lt;/script>"],
    ["a stray < is escaped", "a < b", "a &lt; b"],
    ["an escaped < stays escaped, one after an escaped backslash does not", "\\<b> and \\\\<b>x", "\\<b> and \\\\x"],
    ["a cut tag holding a backtick doesn't turn code into HTML", "<b x='`'> `<style>` ", " `<style>` "],
    [
      "images become links",
      "![pixel](https://evil.example/p.png) ![ref][r]\n\n[r]: https://evil.example/r.png",
      "[Image: pixel](https://evil.example/p.png) [Image: ref][r]\n\n[r]: https://evil.example/r.png",
    ],
  ])("%s", (_, markdown, expected) => {
    expect(withoutRawHtml(markdown)).toBe(expected);
  });

  it("escapes every < of HTML nested to rebuild itself more often than it is parsed", () => {
    const nested = "<".repeat(8) + "b>".repeat(8) + "style>x";
    const out = withoutRawHtml(nested);
    expect(out).not.toMatch(/<[a-z]/i);
  });

  it("escapes Markdown nested too deeply for the parser whole, without parsing it", () => {
    for (const deep of [`${"> ".repeat(9_000)}<img src=x onerror=alert(1)>`, `${"- ".repeat(9_000)}![x](javascript:alert(1))`, `${"[".repeat(9_000)}<b>x`]) {
      const out = withoutRawHtml(deep);
      expect(out).not.toMatch(/<[a-z]/i);
      expect(out).not.toContain("![");
    }
  });
});
