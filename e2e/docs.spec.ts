import { expect, test } from "@playwright/test";
import { SANDBOX_URL, signIn, USERS } from "./support";

const controlPlaneCalls = async () => ((await (await fetch(`${SANDBOX_URL}/_sandbox/apigateway/calls`)).json()) as { calls: Record<string, number> }).calls;

test.describe("catalog and reference docs", () => {
  test("an operation page is complete HTML without JavaScript", async ({ request }) => {
    const response = await request.get("/apis/pets/operations/list-pets");
    expect(response.status()).toBe(200);
    const html = await response.text();
    expect(html).toContain("List pets"); // summary
    expect(html).toMatch(/>limit</); // a query parameter
    expect(html).toContain("How many pets to return"); // its description
    expect(html).toMatch(/>tags</); // a field of the response schema
    expect(html).toContain("Rex"); // the response example
    expect(html.length).toBeLessThan(150_000);
  });

  test("operation and tag pages are plain documents: one script file, a nonce-free CSP that holds, the theme from its cookie", async ({
    page,
    context,
    request,
    baseURL,
  }) => {
    const violations: string[] = [];
    page.on("console", (message) => /Content Security Policy|Refused to/.test(message.text()) && violations.push(message.text()));
    page.on("pageerror", (error) => violations.push(error.message));
    await context.addCookies([{ name: "theme", value: "dark", url: baseURL! }]);
    const response = await page.goto("/apis/pets/operations/list-pets");
    const scriptSrc = /script-src ([^;]*)/.exec(response!.headers()["content-security-policy"] ?? "")?.[1];
    expect(scriptSrc).toMatch(/^'self'( 'unsafe-eval')?$/); // 'unsafe-eval' only under next dev
    // Anonymous: CloudFront may share it per (path, theme); browsers revalidate (lib/cloudfront/docs-cache.ts).
    expect(response!.headers()["cache-control"]).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
    // Rendered in the cookie's theme by the server (no flash, no inline script), without Next's RSC payload.
    await expect(page.locator("html")).toHaveClass("dark");
    expect(await page.locator("script:not([src])").count()).toBe(0);
    expect(await page.locator("script[src]").evaluateAll((scripts) => scripts.map((s) => s.getAttribute("src")))).toEqual([
      expect.stringMatching(/^\/docs-assets\/islands-[\w-]+\.js$/),
    ]);
    // The islands hydrated under that CSP: the tabs switch, the theme button works.
    await page.getByRole("tab", { name: "Python" }).click();
    await expect(page.getByRole("tabpanel")).toContainText("import requests");
    await page.getByRole("button", { name: /^Dark theme/ }).click();
    await expect(page.locator("html")).not.toHaveClass("dark");
    expect(violations).toEqual([]);

    // Anonymous documents are kept per theme: each reader still gets their own.
    for (const theme of ["light", "dark", "system"]) {
      const html = await (await request.get("/apis/pets/operations/list-pets", { headers: { cookie: `theme=${theme}` } })).text();
      expect(html).toMatch(theme === "system" ? /<html lang="en" style=/ : new RegExp(`<html lang="en" class="${theme}"`));
    }

    const tag = await request.get("/apis/pets/tags/pets");
    expect(tag.status()).toBe(200);
    expect(await tag.text()).toContain('href="/apis/pets/operations/list-pets"');
    for (const missing of ["/apis/pets/operations/no-such-operation", "/apis/pets/tags/no-such-tag", "/apis/no-such-api/operations/list-pets"]) {
      const notFound = await request.get(missing);
      expect(notFound.status(), missing).toBe(404);
      expect(await notFound.text()).toContain("Page not found");
    }
  });

  test("warm catalog and docs views make no control-plane calls", async ({ page }) => {
    await page.goto("/apis"); // warms the cache
    await fetch(`${SANDBOX_URL}/_sandbox/apigateway/calls`, { method: "DELETE" });
    for (const path of ["/apis", "/products/free", "/apis/pets", "/apis/pets/operations/get-pet", "/apis/weather", "/search?q=forecast", "/"]) {
      expect((await page.goto(path))?.status()).toBe(200);
    }
    expect(await controlPlaneCalls()).toEqual({});
  });

  test("plans show live terms and hidden products 404 for those who may not see them", async ({ page }) => {
    await page.goto("/apis");
    const free = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Free" }) });
    await expect(free).toContainText("2 requests/s, bursts of 5");
    await expect(free).toContainText("1,000 requests per month");
    await expect(page.getByRole("heading", { name: "Weather Basic" })).toHaveCount(0);
    expect((await page.goto("/products/weather-basic"))?.status()).toBe(404);
    await signIn(page, USERS.developer);
    expect((await page.goto("/products/weather-basic"))?.status()).toBe(200);
    await expect(page.getByText("500 requests per day")).toBeVisible();
  });

  test("search finds operations, APIs and guides", async ({ page }) => {
    await page.goto("/search?q=forecast");
    await expect(page.getByRole("link", { name: /Five-day forecast/ })).toBeVisible();
    await page.getByLabel("Search APIs, operations and guides").fill("quota");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByRole("link", { name: "Errors, rate limits and quotas" })).toBeVisible();
  });

  test("downloads the spec as JSON and YAML", async ({ request }) => {
    const json = await request.get("/apis/pets/spec/json");
    expect(json.headers()["content-disposition"]).toContain("pets-prod.json");
    expect((await json.json()).info.title).toBe("Pets API");
    const yaml = await request.get("/apis/weather/spec/yaml");
    expect(await yaml.text()).toMatch(/^openapi: 3\.1\.0/m);
  });

  test("signed-in developers download SDKs; anonymous visitors are asked to sign in", async ({ page, request }) => {
    expect((await request.get("/apis/pets/sdks/javascript")).status()).toBe(401);
    await signIn(page, USERS.developer);
    const sdk = await page.request.get("/apis/pets/sdks/javascript");
    expect(sdk.status()).toBe(200);
    expect(sdk.headers()["content-type"]).toBe("application/zip");
    expect((await sdk.body()).subarray(0, 2).toString()).toBe("PK");
    expect((await page.request.get("/apis/pets/sdks/cobol")).status()).toBe(404);
  });

  test("the optional single-page reference renders the whole spec with Redoc", async ({ page }) => {
    await page.goto("/apis/pets");
    await page.getByRole("link", { name: "Single page (Redoc)" }).click();
    const redoc = page.getByTestId("redoc");
    await expect(redoc.getByRole("heading", { name: "List pets" })).toBeVisible({ timeout: 15_000 });
    await expect(redoc.getByRole("heading", { name: "Get a pet" })).toBeVisible();
  });
});
