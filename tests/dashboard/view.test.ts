import { describe, expect, it } from "vitest";
import type { AccessSummary } from "@/lib/access/account";
import type { KeyView, SubscriptionView } from "@/lib/access/types";
import type { Catalog, CatalogApi, CatalogProduct } from "@/lib/catalog/types";
import { dashboardOf } from "@/lib/dashboard/view";

const api = (slug: string, invokeUrl?: string): CatalogApi => ({
  slug,
  name: slug,
  apiId: `id-${slug}`,
  stage: "prod",
  spec: { source: "file", file: `apis/${slug}.yaml` },
  ...(invokeUrl ? { invokeUrl } : {}),
});
const product = (slug: string, apiSlugs: string[]): CatalogProduct => ({
  slug,
  name: slug.toUpperCase(),
  visibility: "public",
  approvalRequired: false,
  plan: { id: `plan-${slug}`, name: slug, throttle: { rateLimit: 10 }, quota: { limit: 1000, period: "DAY", offset: 0 }, apiStages: [], tags: {} },
  apiSlugs,
  source: "catalog",
});
const catalog: Catalog = {
  products: [product("basic", ["pets"]), product("pro", ["weather", "pets"]), product("partner", ["unlisted"])],
  apis: [api("pets", "https://pets.example.com/prod"), api("weather", "https://weather.example.com/prod")],
  guides: [],
  refreshedAt: "2030-01-01T00:00:00Z",
  problems: [],
};
const subscription = (planId: string, state: SubscriptionView["state"], extra: Partial<SubscriptionView> = {}): SubscriptionView => ({
  planId,
  productSlug: planId.replace(/^plan-/, ""),
  productName: planId.replace(/^plan-/, "").toUpperCase(),
  state,
  createdAt: "2030-01-01T00:00:00Z",
  ...extra,
});
const key = (id: string, extra: Partial<KeyView> = {}): KeyView => ({
  id,
  name: id,
  hint: "abcd",
  state: "active",
  createdAt: "2030-01-01T00:00:00Z",
  ...extra,
});
const summary = (access: Partial<AccessSummary>): AccessSummary => ({
  keys: [],
  subscriptions: [],
  maxKeys: 5,
  allowance: { used: 0, max: 5, retiring: 0, marketplace: 0 },
  standing: "active",
  offers: {},
  ...access,
});
const sampleFor = async (of: CatalogApi) => (of.invokeUrl ? { method: "GET", url: `${of.invokeUrl}/first` } : undefined);

describe("the dashboard's view model", () => {
  const access = summary({
    keys: [key("k1"), key("k2", { boundPlanId: "plan-bought" })],
    subscriptions: [
      subscription("plan-bought", "ended", { source: "marketplace", productSlug: "bought", productName: "Bought elsewhere" }),
      subscription("plan-pro", "rejected"),
      subscription("plan-basic", "active"),
      subscription("plan-gone", "active", { productSlug: "gone", productName: "Gone" }),
    ],
    offers: {
      "plan-basic": { kind: "held", state: "active" },
      "plan-pro": { kind: "switch", approval: true, ends: [{ planId: "plan-basic", productName: "BASIC" }] },
      "plan-partner": { kind: "subscribe", approval: false },
    },
  });

  it("lists subscriptions by state, with the plan's terms and asking again for a declined one still offered", async () => {
    const { subscriptions } = await dashboardOf(catalog, access, sampleFor);
    expect(subscriptions).toEqual([
      { subscription: access.subscriptions[2], plan: { throttle: { rateLimit: 10 }, quota: { limit: 1000, period: "DAY", offset: 0 } } },
      { subscription: access.subscriptions[3] },
      {
        subscription: access.subscriptions[1],
        plan: { throttle: { rateLimit: 10 }, quota: { limit: 1000, period: "DAY", offset: 0 } },
        retry: { product: { slug: "pro", name: "PRO" }, offer: access.offers["plan-pro"] },
      },
      { subscription: access.subscriptions[0] },
    ]);
  });

  it("keeps every plan's card in catalog order, with the APIs it opens, its offer and the user's subscription", async () => {
    const { plans } = await dashboardOf(catalog, access, sampleFor);
    expect(plans.map((p) => [p.product.slug, p.apis.map((a) => a.slug), p.offer?.kind, p.subscription?.state])).toEqual([
      ["basic", ["pets"], "held", "active"],
      ["pro", ["weather", "pets"], "switch", "rejected"],
      ["partner", [], "subscribe", undefined],
    ]);
  });

  it("names the plans of Marketplace keys and tells which are closed", async () => {
    const dashboard = await dashboardOf(catalog, access, sampleFor);
    expect(dashboard.planNames).toEqual({
      "plan-basic": "BASIC",
      "plan-pro": "PRO",
      "plan-partner": "PARTNER",
      "plan-bought": "Bought elsewhere",
      "plan-gone": "Gone",
    });
    expect(dashboard.closedPlans).toEqual(["plan-bought"]);
    expect(dashboard.hasMarketplaceKey).toBe(true);
    expect(dashboard.nextStep).toBeUndefined();
  });

  it("shows usage for active subscriptions, with a first call to the product's first API", async () => {
    const { usage } = await dashboardOf(catalog, access, sampleFor);
    expect(usage).toEqual([
      { planId: "plan-basic", productName: "BASIC", sample: { method: "GET", url: "https://pets.example.com/prod/first" } },
      { planId: "plan-gone", productName: "Gone", sample: undefined },
    ]);
  });

  it.each([
    ["nothing yet", [], [], "subscribe-then-create-key"],
    ["an unconfirmed AWS Marketplace purchase", [key("k1")], [subscription("plan-basic", "awaiting")], "await-marketplace"],
    ["a plan but no key", [], [subscription("plan-basic", "active")], "create-key"],
    ["a request waiting, no key", [], [subscription("plan-pro", "pending")], "create-key-while-pending"],
    ["a key and a request waiting", [key("k1")], [subscription("plan-pro", "pending")], "await-approval"],
    ["a key and no plan", [key("k1")], [subscription("plan-pro", "rejected")], "subscribe"],
    ["a key and a plan", [key("k1")], [subscription("plan-basic", "active"), subscription("plan-pro", "pending")], undefined],
  ] as const)("suggests the next step with %s", async (_, keys, subscriptions, step) => {
    expect((await dashboardOf(catalog, summary({ keys: [...keys], subscriptions: [...subscriptions] }), sampleFor)).nextStep).toBe(step);
  });
});
