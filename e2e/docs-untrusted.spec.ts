import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { parse as parseYaml } from "yaml";
import { forRedoc } from "../components/docs/redoc-spec";

/**
 * The single-page view of an API whose spec is hostile (tests/fixtures/openapi/hostile.yaml).
 * The sample catalog stays as newcomers see it: the browser is handed the fixture in place of the
 * Pets spec, as the server's route would serve it (forRedoc) or, to check Redoc's own
 * sanitizing, untouched.
 */
const hostile = parseYaml(readFileSync("tests/fixtures/openapi/hostile.yaml", "utf8")) as unknown;

async function openWithSpec(page: Page, spec: unknown): Promise<Locator> {
  await page.route("**/apis/pets/single-page/spec", (route) => route.fulfill({ json: spec }));
  await page.goto("/apis/pets/single-page");
  const redoc = page.getByTestId("redoc");
  // Attached, not visible: handed the raw spec, Redoc keeps its <style>, which hides the page.
  await expect(redoc.getByText("Hostile API").first()).toBeAttached({ timeout: 15_000 });
  return redoc;
}

/** What spec content could do in the page: markup that runs, loads or styles, handlers, script URLs. */
const activeContent = (redoc: Locator) =>
  redoc.evaluate((root) => ({
    markup: [...root.querySelectorAll("script, iframe, frame, object, embed, style, link, meta, base, form, img")].map((e) => e.outerHTML.slice(0, 100)),
    handlers: [...root.querySelectorAll("*")].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `<${e.localName} ${a.name}>`)),
    scriptUrls: [...root.querySelectorAll("[href], [src], [action]")]
      .map((e) => e.getAttribute("href") ?? e.getAttribute("src") ?? e.getAttribute("action") ?? "")
      .filter((url) => /^\s*(javascript|vbscript|data):/i.test(url)),
  }));

test.describe("the single-page reference of an untrusted spec", () => {
  test("the server's copy renders inert: the page stays visible, nothing runs, loads or restyles it", async ({ page, request }) => {
    // The route the view reads is the server's sanitized copy, not the download.
    const served = await request.get("/apis/pets/single-page/spec");
    expect(served.status()).toBe(200);
    expect((await served.json()).info.title).toBe("Pets API");

    const problems: string[] = [];
    page.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // Redoc's own "API docs by Redocly" logo comes from its CDN, which the CSP blocks: not the spec's doing.
    page.on(
      "console",
      (message) => /Content Security Policy|Refused to/.test(message.text()) && !message.text().includes("cdn.redoc.ly") && problems.push(message.text()),
    );
    page.on("pageerror", (error) => problems.push(error.message));

    const redoc = await openWithSpec(page, forRedoc(hostile));
    await expect(page.getByRole("heading", { level: 1, name: /single-page reference/ })).toBeVisible();
    await expect(redoc.getByText("Hostile API").first()).toBeVisible();
    expect(await page.evaluate(() => [document.documentElement, document.body].map((e) => getComputedStyle(e).display))).not.toContain("none");
    // The attacks show as text.
    await expect(redoc.getByText("alert(35)").first()).toBeVisible();
    expect(await activeContent(redoc)).toEqual({ markup: [], handlers: [], scriptUrls: [] });
    await expect(redoc.getByRole("link", { name: "Image: tracker" })).toHaveAttribute("href", "https://evil.example/tracker.gif");
    expect(problems).toEqual([]);
  });

  test("Redoc sanitizes on its own too (untrustedSpec): handed the raw spec, no handler, frame, script or script URL from it reaches the page", async ({
    page,
  }) => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const redoc = await openWithSpec(page, hostile);
    const { handlers, scriptUrls, markup } = await activeContent(redoc);
    expect({ handlers, scriptUrls: scriptUrls.filter((url) => url !== "javascript:alert(10)") }).toEqual({ handlers: [], scriptUrls: [] });
    expect(markup.filter((html) => /^<(script|iframe|object|embed)/.test(html))).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
