import { CreateUsagePlanCommand, GetRestApisCommand } from "@aws-sdk/client-api-gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { seed } from "@/local/seed";
import type { Caller } from "@/lib/auth/caller";
import { startTestSandbox } from "../sandbox/harness";

const anonymous: Caller = { user: null, isAdmin: false };
const developer: Caller = { user: { id: "u1", name: "Dev", email: "dev@example.com", groups: [] }, isAdmin: false };
const partner: Caller = { user: { id: "u2", name: "Pat", email: "pat@example.com", groups: ["partners"] }, isAdmin: false };
const admin: Caller = { user: { id: "u3", name: "Ada", email: "admin@example.com", groups: ["admins"] }, isAdmin: true };

describe("the catalog joins catalog/ with API Gateway", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let lib: typeof import("@/lib/catalog/catalog") & typeof import("@/lib/catalog/specs") & typeof import("@/lib/apigateway") & typeof import("@/lib/catalog/files");

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    await fetch(`${sandbox.url}/_sandbox/apigateway/budget`, { method: "PUT", body: JSON.stringify({ enabled: false }) });
    await seed(sandbox.context, "http://localhost:3000");
    Object.assign(process.env, { AWS_ENDPOINT_URL: sandbox.url, AWS_REGION: SANDBOX_REGION, AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey });
    lib = { ...(await import("@/lib/catalog/catalog")), ...(await import("@/lib/catalog/specs")), ...(await import("@/lib/apigateway")), ...(await import("@/lib/catalog/files")) };
  });
  afterAll(() => sandbox.stop());

  it("lists the owner's products with live plan terms and their APIs' invoke URLs", async () => {
    lib.resetControlPlaneStats();
    const catalog = await lib.buildCatalog();
    expect(catalog.problems).toEqual([]);
    expect(catalog.products.map((p) => [p.slug, p.source])).toEqual([
      ["free", "catalog"],
      ["pro", "catalog"],
      ["weather-basic", "catalog"],
    ]);
    const pro = catalog.products.find((p) => p.slug === "pro")!;
    expect(pro.plan).toMatchObject({ name: "Pro", throttle: { rateLimit: 50, burstLimit: 100 }, quota: { limit: 100000, period: "MONTH" }, productCode: "portico-pro-sandbox" });
    expect(pro.apiSlugs).toEqual(["pets", "weather"]);
    const weather = catalog.apis.find((a) => a.slug === "weather")!;
    expect(weather.spec.source).toBe("export");
    expect(weather.invokeUrl).toBe(`${sandbox.url}/restapis/${weather.apiId}/prod/_user_request_`);
    expect(lib.localSpecText(weather)).toContain('"title": "Weather API"');
    expect(lib.localSpecText(catalog.apis.find((a) => a.slug === "pets")!)).toContain("title: Pets API");
    // The exported text is kept beside the catalog, not in it: every page view reads the catalog.
    expect(weather.spec).toMatchObject({ source: "export", sha: expect.stringMatching(/^[\w-]{43}$/) });
    expect(JSON.stringify(catalog)).not.toContain(JSON.stringify(lib.localSpecText(weather)).slice(1, 300));
    // One GetUsagePlans, one GetRestApis and one GetExport per API stage.
    expect(lib.getControlPlaneStats().calls).toEqual({ GetUsagePlans: 1, GetRestApis: 1, GetExport: 2 });
  });

  it("discovers usage plans that catalog/ does not describe, optionally only tagged ones", async () => {
    const apigw = lib.apigateway;
    const weatherId = (await apigw.send(new GetRestApisCommand({}))).items!.find((a) => a.name === "Weather API")!.id!;
    const plan = await apigw.send(
      new CreateUsagePlanCommand({ name: "Enterprise Weather", description: "Talk to us", apiStages: [{ apiId: weatherId, stage: "prod" }], tags: { portico: "published" } }),
    );
    await apigw.send(new CreateUsagePlanCommand({ name: "Internal", apiStages: [{ apiId: weatherId, stage: "prod" }] }));
    const all = await lib.buildCatalog();
    expect(all.products.filter((p) => p.source === "discovered").map((p) => p.name)).toEqual(["Enterprise Weather", "Internal"]);
    const discovered = all.products.find((p) => p.name === "Enterprise Weather")!;
    expect(discovered).toMatchObject({ slug: "enterprise-weather", summary: "Talk to us", apiSlugs: ["weather"], visibility: "public", plan: { id: plan.id } });

    const tagged = await lib.buildCatalog({ discovery: { enabled: true, tag: "portico=published", visibility: "signed-in" } });
    expect(tagged.products.filter((p) => p.source === "discovered").map((p) => [p.name, p.visibility])).toEqual([["Enterprise Weather", "signed-in"]]);
    const off = await lib.buildCatalog({ discovery: { enabled: false, visibility: "public" } });
    expect(off.products.every((p) => p.source === "catalog")).toBe(true);
    // portal.yaml's developerApi adds the portal's own API, served by the portal and in no plan.
    expect(off.apis.find((a) => a.portal)).toMatchObject({ slug: "developer-api", spec: { source: "file", file: "apis/developer-api.yaml" }, portal: { visibility: "public" } });
    const without = await lib.buildCatalog({ discovery: { enabled: false, visibility: "public" }, developerApi: null });
    expect(without.apis.some((a) => a.portal)).toBe(false);
  });

  it("reports catalog entries that API Gateway does not have, without failing", async () => {
    const files = lib.loadCatalogFiles();
    const broken = { ...files, products: [{ ...files.products[0]!, usagePlan: "No Such Plan", file: "products/free.yaml" }] };
    const catalog = await lib.buildCatalog({ files: broken, discovery: { enabled: false, visibility: "public" } });
    expect(catalog.products).toEqual([]);
    expect(catalog.problems).toEqual(["products/free.yaml: usage plan 'No Such Plan' was not found in API Gateway"]);
  });

  it("hides products from those who may not see them, and the APIs only they reach", async () => {
    const catalog = await lib.buildCatalog({ discovery: { enabled: false, visibility: "public" } });
    const partnersOnly = { ...catalog, products: catalog.products.map((p) => (p.slug === "pro" ? { ...p, visibility: "group:partners" as const } : p)) };
    const slugs = (caller: Caller) => lib.visibleTo(partnersOnly, caller).products.map((p) => p.slug);
    expect(slugs(anonymous)).toEqual(["free"]);
    expect(slugs(developer)).toEqual(["free", "weather-basic"]);
    expect(slugs(partner)).toEqual(["free", "pro", "weather-basic"]);
    expect(slugs(admin)).toEqual(["free", "pro", "weather-basic"]);
    // The portal's own Developer API is in no plan: its own visibility (portal.yaml) decides.
    expect(lib.visibleTo(partnersOnly, anonymous).apis.map((a) => a.slug)).toEqual(["pets", "developer-api"]);
    const membersOnly = { ...partnersOnly, apis: partnersOnly.apis.map((a) => (a.portal ? { ...a, portal: { visibility: "signed-in" as const } } : a)) };
    expect(lib.visibleTo(membersOnly, anonymous).apis.map((a) => a.slug)).toEqual(["pets"]);
    expect(lib.visibleTo(membersOnly, developer).apis.map((a) => a.slug)).toEqual(["pets", "weather", "developer-api"]);
    expect(lib.visibleTo({ ...partnersOnly, problems: ["x"] }, developer).problems).toEqual([]);
    expect(lib.visibleTo({ ...partnersOnly, problems: ["x"] }, admin).problems).toEqual(["x"]);
  });

  it("shows a product named for teams (visibility team:<slug>) to their members only, and says when a catalog does", async () => {
    const catalog = await lib.buildCatalog({ discovery: { enabled: false, visibility: "public" } });
    expect(lib.usesTeamVisibility(catalog)).toBe(false);
    const acmeOnly = { ...catalog, products: catalog.products.map((p) => (p.slug === "pro" ? { ...p, visibility: "team:acme" as const } : p)) };
    expect(lib.usesTeamVisibility(acmeOnly)).toBe(true);
    const slugs = (viewer: Caller & { teams?: string[] }) => lib.visibleTo(acmeOnly, viewer).products.map((p) => p.slug);
    expect(slugs(anonymous)).toEqual(["free"]); // weather-basic is for signed-in people
    expect(slugs(developer)).toEqual(["free", "weather-basic"]);
    expect(slugs({ ...developer, teams: ["globex"] })).toEqual(["free", "weather-basic"]);
    expect(slugs({ ...developer, teams: ["globex", "acme"] })).toEqual(["free", "pro", "weather-basic"]);
    expect(slugs({ ...anonymous, teams: ["acme"] })).toEqual(["free"]); // signed out: no team
    expect(slugs(admin)).toEqual(["free", "pro", "weather-basic"]);
    const { visibilitySchema } = await import("@/lib/catalog/settings");
    for (const ok of ["team:acme", "team:a", "team:acme-inc-2"]) expect(visibilitySchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["team:", "team:Acme", "team:-acme", "team:acme_inc", "teams:acme"]) expect(visibilitySchema.safeParse(bad).success, bad).toBe(false);
  });
});
