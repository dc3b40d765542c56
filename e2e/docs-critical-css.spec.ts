import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./support";

// Docs pages inline the stylesheet rules they use (lib/styles/critical.ts) and load the whole
// stylesheet without blocking. The invariant: the inline rules alone style every element exactly
// as the whole stylesheet does — checked property by property on real pages, in both themes, at a
// phone's width and a laptop's, signed out and in. The islands' script is held back in both loads,
// so the same server HTML is compared.

const PAGES = [
  "/apis/pets/operations/create-pet",
  "/apis/pets/tags/pets",
  "/apis/weather/operations/get-forecast",
  "/apis/no-such-api/operations/no-such-operation",
];

/** Every element's computed style (all properties, and its ::before/::after content), in document order. */
async function computedStyles(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("body, body *")].map((element) => {
      const describe = (style: CSSStyleDeclaration) => {
        const parts: string[] = [];
        for (let i = 0; i < style.length; i++) parts.push(`${style[i]}:${style.getPropertyValue(style[i]!)}`);
        return parts.join(";");
      };
      const label = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}.${element.getAttribute("class") ?? ""}`;
      return `${label} | ${describe(getComputedStyle(element))} | before ${getComputedStyle(element, "::before").content} | after ${getComputedStyle(element, "::after").content}`;
    }),
  );
}

/** Loads `path` with the islands' script held back; `wholeStylesheetOnly` swaps the inline rules for the stylesheet, as before. */
async function load(page: Page, path: string, wholeStylesheetOnly: boolean): Promise<{ html: string; styles: string[] }> {
  await page.unrouteAll();
  await page.route(/\/docs-assets\/islands-[\w-]+\.js$/, (route) => route.abort());
  let html = "";
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      const response = await route.fetch();
      html = await response.text();
      const body = wholeStylesheetOnly ? html.replace(/<style>[\s\S]*?<\/style>/, "").replace(/ media="print" data-whole-stylesheet(="")?/, "") : html;
      await route.fulfill({ response, body });
    },
  );
  await page.goto(path);
  // Wait for the whole stylesheet where it applies, so nothing is compared half-styled.
  await page.waitForFunction(() => [...document.styleSheets].every((sheet) => sheet.href === null || sheet.cssRules.length > 0));
  return { html, styles: await computedStyles(page) };
}

async function expectSameStyles(page: Page, path: string) {
  const inline = await load(page, path, false);
  expect(inline.html).toMatch(/<style>(?:(?!<\/style>)[\s\S])*@layer utilities\{/);
  expect(inline.html).toMatch(/<link rel="stylesheet" href="\/docs-assets\/docs-[\w-]+\.css" media="print" data-whole-stylesheet/);
  const whole = await load(page, path, true);
  expect(whole.styles.length).toBe(inline.styles.length);
  expect(inline.styles.length).toBeGreaterThan(20);
  const differences = inline.styles.flatMap((style, i) => {
    if (style === whole.styles[i]) return [];
    const a = new Map(
      style
        .split(" | ")[1]!
        .split(";")
        .map((p) => [p.slice(0, p.indexOf(":")), p] as const),
    );
    const b = new Map(
      whole.styles[i]!.split(" | ")[1]!
        .split(";")
        .map((p) => [p.slice(0, p.indexOf(":")), p] as const),
    );
    const props = [...new Set([...a.keys(), ...b.keys()])].filter((key) => a.get(key) !== b.get(key));
    return [
      `${style.split(" | ")[0]!.slice(0, 120)}: inline ${props.map((key) => a.get(key)).join("; ")} / whole ${props.map((key) => b.get(key)).join("; ")}`,
    ];
  });
  expect(differences.slice(0, 10), `${differences.length} elements styled differently on ${path}`).toEqual([]);
}

// Light at a phone's width, dark at a laptop's (each combination costs about 14 s).
for (const [colorScheme, viewport] of [
  ["light", { width: 390, height: 844 }],
  ["dark", { width: 1440, height: 900 }],
] as const) {
  test(`the inline rules style docs pages as the whole stylesheet does: ${colorScheme}, ${viewport.width} px`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize(viewport);
    for (const path of PAGES) await expectSameStyles(page, path);
  });
}

test("signed in, with the theme chosen by cookie, the inline rules still style the page as the whole stylesheet", async ({ page, context, baseURL }) => {
  await signIn(page, USERS.developer);
  await context.addCookies([{ name: "theme", value: "dark", url: baseURL! }]);
  for (const path of PAGES.slice(0, 2)) await expectSameStyles(page, path);
});

test("the islands' script switches the whole stylesheet on, for what they render later", async ({ page }) => {
  await page.goto(PAGES[0]!);
  await expect(page.locator("link[data-whole-stylesheet]")).toHaveAttribute("media", "all");
  // Search results are built by the script, never by the server: the whole stylesheet styles them
  // (the chosen option's background is an aria-selected: rule).
  await page.locator("#header-search").fill("pet");
  const first = page.getByRole("listbox", { name: "Search results" }).getByRole("option").first();
  await expect(first).toBeVisible();
  await page.locator("#header-search").press("ArrowDown");
  await expect(first).toHaveAttribute("aria-selected", "true");
  expect(await first.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
});
