import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { signIn, USERS } from "./support";

interface AdminView {
  version: number;
  refreshedAt: string;
  products: { slug: string; name: string; planId: string; published: boolean }[];
  apis: { slug: string; name: string; apiId: string; stage: string; sdks: boolean }[];
}

const adminView = async (request: APIRequestContext): Promise<AdminView> => {
  const response = await request.get("/api/admin/catalog");
  expect(response.status()).toBe(200);
  return (await response.json()) as AdminView;
};

/** Puts every switch back as the sample catalog has it (other specs rely on it), whatever happened. */
async function restore(request: APIRequestContext) {
  const view = await adminView(request);
  for (const product of view.products.filter((p) => !p.published))
    await request.patch("/api/admin/catalog", { data: { planId: product.planId, published: true } });
  for (const api of view.apis.filter((a) => !a.sdks)) await request.patch("/api/admin/catalog", { data: { apiId: api.apiId, stage: api.stage, sdks: true } });
  const after = await adminView(request);
  expect(after.products.every((p) => p.published) && after.apis.every((a) => a.sdks)).toBe(true);
}

async function signedInPage(browser: Browser, user: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user);
  return page;
}

const planRow = (page: Page, name: string) =>
  page
    .getByRole("region", { name: "Usage plans" })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name, exact: true }) });
const apiRow = (page: Page, name: string) =>
  page
    .getByRole("region", { name: "APIs" })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name, exact: true }) });

test.describe("Admin → Catalog", () => {
  let admin: Page;

  test.beforeEach(async ({ page }) => {
    admin = page;
    await signIn(admin, USERS.admin);
  });

  test.afterEach(async () => {
    await restore(admin.request);
  });

  test("an admin hides a product: it leaves the catalog for everyone until it is published again", async ({ browser }) => {
    test.slow(); // three browser contexts, two sign-ins
    await admin.goto("/admin/catalog");
    await expect(admin.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();
    const free = planRow(admin, "Free");
    await expect(free).toContainText("catalog/products/free.yaml");
    await expect(free).toContainText("2 requests/s, bursts of 5");
    await expect(free).toContainText("Pets (prod)");
    await expect(free.getByText("Published", { exact: true })).toBeVisible();

    await free.getByRole("button", { name: "Hide Free" }).click();
    await expect(free.getByText("Hidden", { exact: true })).toBeVisible();
    await expect(admin.getByText("Free is hidden.")).toBeAttached(); // announced to screen readers

    const visitor = await (await browser.newContext()).newPage();
    const developer = await signedInPage(browser, USERS.developer);
    for (const page of [visitor, developer]) {
      await page.goto("/apis");
      await expect(page.getByRole("heading", { name: "Pro", exact: true })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Free", exact: true })).toHaveCount(0);
      expect((await page.goto("/products/free"))?.status()).toBe(404);
    }
    // Pets is still in Pro, so its docs stay.
    expect((await visitor.goto("/apis/pets"))?.status()).toBe(200);
    const subscribe = await developer.request.post("/api/subscriptions", { data: { product: "free" } });
    expect(subscribe.status()).toBe(404);
    // Admins don't get it listed either, but can open its page, which says so.
    await admin.goto("/apis");
    await expect(admin.getByRole("heading", { name: "Pro", exact: true })).toBeVisible();
    await expect(admin.getByRole("heading", { name: "Free", exact: true })).toHaveCount(0);
    expect((await admin.goto("/products/free"))?.status()).toBe(200);
    await expect(admin.getByText(/Only administrators can open this page/)).toBeVisible();

    // Published again, from the keyboard: focus stays on the switch, which now offers to hide.
    await admin.goto("/admin/catalog");
    await planRow(admin, "Free").getByRole("button", { name: "Publish Free" }).focus();
    await admin.keyboard.press("Enter");
    await expect(planRow(admin, "Free").getByText("Published", { exact: true })).toBeVisible();
    await expect(planRow(admin, "Free").getByRole("button", { name: "Hide Free" })).toBeFocused();

    for (const page of [visitor, developer]) {
      await page.goto("/apis");
      await expect(page.getByRole("heading", { name: "Free", exact: true })).toBeVisible();
      expect((await page.goto("/products/free"))?.status()).toBe(200);
    }
    await visitor.context().close();
    await developer.context().close();
  });

  test("turning SDK downloads off for an API hides its SDK links and its downloads answer 404", async ({ browser }) => {
    await admin.goto("/admin/catalog");
    const pets = apiRow(admin, "Pets");
    await expect(pets.getByText("On", { exact: true })).toBeVisible();
    await pets.getByRole("button", { name: "Turn off SDK downloads for Pets (prod)" }).click();
    await expect(pets.getByText("Off", { exact: true })).toBeVisible();

    const developer = await signedInPage(browser, USERS.developer);
    await developer.goto("/apis/pets");
    await expect(developer.getByRole("heading", { name: "Downloads" })).toBeVisible();
    await expect(developer.getByRole("link", { name: "JavaScript SDK" })).toHaveCount(0);
    const sdk = await developer.request.get("/apis/pets/sdks/javascript");
    expect(sdk.status()).toBe(404);
    expect(await sdk.json()).toEqual({ error: { code: "not_found", message: "SDK downloads are turned off for the Pets API." } });
    // Other APIs keep theirs.
    await developer.goto("/apis/weather");
    await expect(developer.getByRole("link", { name: "JavaScript SDK" })).toBeVisible();

    await pets.getByRole("button", { name: "Turn on SDK downloads for Pets (prod)" }).click();
    await expect(pets.getByText("On", { exact: true })).toBeVisible();
    await developer.goto("/apis/pets");
    await expect(developer.getByRole("link", { name: "JavaScript SDK" })).toBeVisible();
    await developer.context().close();
  });

  test("a change made meanwhile by another admin is a conflict, not a silent overwrite", async () => {
    await admin.goto("/admin/catalog");
    const other = await admin.context().newPage();
    await other.goto("/admin/catalog");
    await planRow(other, "Free").getByRole("button", { name: "Hide Free" }).click();
    await expect(planRow(other, "Free").getByText("Hidden", { exact: true })).toBeVisible();

    // This tab still shows the old switches: its change is refused and the current ones load.
    await planRow(admin, "Pro").getByRole("button", { name: "Hide Pro" }).click();
    await expect(admin.getByRole("alert").filter({ hasText: "Another administrator changed the catalog settings" })).toBeVisible();
    await expect(planRow(admin, "Free").getByText("Hidden", { exact: true })).toBeVisible();
    await expect(planRow(admin, "Pro").getByText("Published", { exact: true })).toBeVisible();
    await other.close();
  });

  test("the route validates its input, and only admins may use it", async ({ browser }) => {
    const view = await adminView(admin.request);
    expect(view.products.map((p) => p.slug)).toEqual(["free", "pro", "weather-basic"]);
    const patch = (data: unknown) => admin.request.patch("/api/admin/catalog", { data: data as Record<string, unknown> });
    const bad = await patch({ planId: view.products[0]!.planId });
    expect([bad.status(), await bad.json()]).toEqual([400, { error: { code: "bad_request", message: "published must be true or false." } }]);
    expect((await patch({ planId: "nosuchplan", published: false })).status()).toBe(404);
    expect((await patch({ apiId: view.apis[0]!.apiId, stage: "nosuchstage", sdks: false })).status()).toBe(404);
    expect((await patch({ planId: view.products[0]!.planId, published: false, version: view.version + 5 })).status()).toBe(409);
    expect(await adminView(admin.request)).toEqual(view); // nothing changed

    const developer = await signedInPage(browser, USERS.developer);
    expect((await developer.request.get("/api/admin/catalog")).status()).toBe(403);
    expect((await developer.request.patch("/api/admin/catalog", { data: { planId: view.products[0]!.planId, published: false } })).status()).toBe(403);
    expect((await developer.request.post("/api/admin/catalog/refresh")).status()).toBe(403);
    expect((await developer.goto("/admin/catalog"))?.status()).toBe(403);
    await developer.context().close();
  });

  test("refresh re-reads API Gateway", async () => {
    await admin.goto("/admin/catalog");
    const refreshed = admin.getByTestId("catalog-refreshed");
    const before = await refreshed.getAttribute("data-refreshed-at");
    await admin.getByRole("button", { name: "Refresh from API Gateway now" }).click();
    await expect(refreshed).not.toHaveAttribute("data-refreshed-at", before!);
    await expect(refreshed).toContainText("3 plans and 2 APIs");
  });

  for (const theme of ["light", "dark"] as const) {
    test(`the page has no serious accessibility violations (${theme})`, async () => {
      await admin.emulateMedia({ colorScheme: theme });
      await admin.goto("/admin/catalog");
      await expect(admin.locator("html")).toHaveCSS("color-scheme", theme);
      const results = await new AxeBuilder({ page: admin }).analyze();
      expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
    });
  }
});
