import postcss from "postcss";
import tailwind from "@tailwindcss/postcss";
import { describe, expect, it } from "vitest";
import { classesOf, criticalCss, requiredClasses, type StyleRules } from "@/lib/styles/critical";

/** Every rule and statement of a stylesheet with the at-rules around it, in order: what a browser reads. */
function flatten(css: string): string[] {
  const out: string[] = [];
  const walk = (container: postcss.Container, chain: string) => {
    for (const node of container.nodes ?? []) {
      if (node.type === "rule") out.push(`${chain} | ${node.selector} { ${node.nodes.map(String).join(";")} }`);
      else if (node.type === "atrule" && node.nodes) walk(node, `${chain} @${node.name} ${node.params}`);
      else if (node.type === "atrule") out.push(`${chain} | @${node.name} ${node.params};`);
      else if (node.type === "decl") out.push(`${chain} | ${String(node)}`);
    }
  };
  walk(postcss.parse(css), "");
  return out;
}

describe("requiredClasses", () => {
  it("needs the classes outside :where/:is/:not and attribute brackets, per selector of a list", () => {
    expect(requiredClasses(".flex")).toEqual([["flex"]]);
    expect(requiredClasses(String.raw`.\[\&_\.sv-name\]\:font-mono .sv-name`)).toEqual([["[&_.sv-name]:font-mono", "sv-name"]]);
    expect(requiredClasses(String.raw`.dark\:text-white:where(.dark,.dark *)`)).toEqual([["dark:text-white"]]);
    expect(requiredClasses(String.raw`:is(:where(.peer):focus~.peer-focus\:hidden)`)).toEqual([[]]);
    expect(requiredClasses(`.a:not(.b),.c[data-x=".d"]`)).toEqual([["a"], ["c"]]);
    // Hex escapes (a class starting with a digit) and escaped punctuation.
    expect(requiredClasses(String.raw`.\32 xl\:p-4`)).toEqual([["2xl:p-4"]]);
    expect(requiredClasses(String.raw`.w-1\/2.top-\[3px\]`)).toEqual([["w-1/2", "top-[3px]"]]);
  });
});

describe("classesOf", () => {
  it("reads every class attribute, entities decoded", () => {
    expect([...classesOf(`<p class="a  b"><i class="[&amp;_.x]:p-1 c&#39;d"></i><b data-class="no"></b></p>`)]).toEqual(["a", "b", "[&_.x]:p-1", "c'd"]);
  });
});

describe("criticalCss", () => {
  const rules: StyleRules = {
    before: "@layer theme{:root{--x:1}}",
    after: "@property --tw-y{syntax:'*'}",
    rules: [
      { needs: [["flex"]], css: ".flex{display:flex}", wrap: [] },
      { needs: [["grid"]], css: ".grid{display:grid}", wrap: [] },
      { needs: [["lg:flex"]], css: String.raw`.lg\:flex{display:flex}`, wrap: ["@media (min-width:64rem)"] },
      { needs: [["lg:grid"]], css: String.raw`.lg\:grid{display:grid}`, wrap: ["@media (min-width:64rem)"] },
      { needs: [["dark:hover:x"]], css: ".d{}", wrap: ["@media (prefers-color-scheme:dark)", "@media (hover:hover)"] },
      { needs: [["a", "b"]], css: ".a .b{}", wrap: [] },
      { needs: [[]], css: ".always{}", wrap: [] },
    ],
  };

  it("keeps the rules whose classes the page has, in order, inside their at-rules", () => {
    expect(criticalCss(rules, `<div class="flex lg:flex lg:grid dark:hover:x a"></div>`)).toBe(
      "@layer theme{:root{--x:1}}@layer utilities{.flex{display:flex}" +
        String.raw`@media (min-width:64rem){.lg\:flex{display:flex}.lg\:grid{display:grid}}` +
        "@media (prefers-color-scheme:dark){@media (hover:hover){.d{}}}.always{}}@property --tw-y{syntax:'*'}",
    );
    expect(criticalCss(rules, `<div class="grid"></div>`)).toBe(
      "@layer theme{:root{--x:1}}@layer utilities{.grid{display:grid}.always{}}@property --tw-y{syntax:'*'}",
    );
  });

  it("on a real Tailwind build, keeps exactly the used utilities and stays valid CSS", async () => {
    const { splitStylesheet } = await import("@/lib/build/docs-assets");
    const html = `<main class="flex lg:grid hover:bg-red-500 dark:text-white [&_p]:mt-2 2xl:p-4 w-1/2"><p>x</p></main>`;
    const unused = `<div class="grid-cols-3 md:hidden text-[13px]"></div>`;
    const source = `@import "tailwindcss" source(none);\n@source inline(${JSON.stringify([...classesOf(html + unused)].join(" "))});`;
    const built = await postcss([tailwind({ optimize: { minify: true } }) as postcss.AcceptedPlugin]).process(source, { from: "x.css" });
    const split = await splitStylesheet(built.css);
    const css = criticalCss(split, html);
    expect(() => postcss.parse(css)).not.toThrow();
    for (const used of [
      String.raw`.flex{`,
      String.raw`.lg\:grid{`,
      String.raw`.hover\:bg-red-500:hover`,
      String.raw`.dark\:text-white`,
      String.raw`.\[\&_p\]\:mt-2 p`,
      String.raw`.\32 xl\:p-4`,
      String.raw`.w-1\/2`,
    ])
      expect(css).toContain(used);
    for (const unusedRule of [".grid-cols-3", String.raw`.md\:hidden`, String.raw`.text-\[13px\]`]) {
      expect(built.css).toContain(unusedRule);
      expect(css).not.toContain(unusedRule);
    }
    // Everything outside the utilities layer is kept whole (theme variables, preflight).
    expect(css.startsWith(split.before)).toBe(true);
    expect(css.endsWith(split.after)).toBe(true);
  });

  it("given a page with every class, gives back the whole stylesheet, rule for rule in the same at-rules", async () => {
    const { splitStylesheet } = await import("@/lib/build/docs-assets");
    const classes =
      "flex grid lg:grid md:hidden hover:bg-red-500 dark:text-white dark:hover:bg-zinc-800 [&_p]:mt-2 2xl:p-4 w-1/2 group group-open:rotate-90 sr-only";
    const built = await postcss([tailwind({ optimize: { minify: true } }) as postcss.AcceptedPlugin]).process(
      `@import "tailwindcss" source(none);\n@source inline(${JSON.stringify(classes)});`,
      { from: "x.css" },
    );
    expect(built.css).toMatch(/@layer components;/); // a statement at-rule, which must keep its semicolon
    const split = await splitStylesheet(built.css);
    const everything = split.rules.flatMap((rule) => rule.needs.flat());
    const css = criticalCss(split, `<p class="${everything.map((name) => name.replaceAll("&", "&amp;").replaceAll('"', "&quot;")).join(" ")}"></p>`);
    expect(flatten(css)).toEqual(flatten(built.css));
    expect(flatten(css).length).toBeGreaterThan(50);
  });
});
