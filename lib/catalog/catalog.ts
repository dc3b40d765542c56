import { exportStage, listRestApis, listUsagePlans, type PlanTerms, type RestApiSummary } from "../apigateway";
import { loadCatalogFiles, type CatalogFiles, type Visibility } from "./files";
import { getConfig } from "../config";
import { getPortalSettings, type PortalSettings } from "./settings";
import { keepExportedSpec } from "./specs";
import type { Catalog, CatalogApi, CatalogProduct, Viewer } from "./types";

/** Where the Developer API answers: the portal's public URL (jobs, which build no docs, have none). */
function portalApiUrl(): string | undefined {
  try {
    return `${getConfig().AUTH_URL.replace(/\/+$/, "")}/api/v1`;
  } catch {
    return undefined;
  }
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "api";
}

function findByIdOrName<T extends { id: string; name: string }>(items: T[], ref: string): T | undefined {
  return items.find((item) => item.id === ref) ?? items.find((item) => item.name === ref);
}

function matchesTag(plan: PlanTerms, tag: string | undefined): boolean {
  if (!tag) return true;
  const [key, value] = tag.split("=", 2) as [string, string | undefined];
  return key in plan.tags && (value === undefined || plan.tags[key] === value);
}

/**
 * The catalog as visitors see it: catalog/ files joined with live plan terms and API stages
 * from API Gateway. This makes control-plane calls; read it through getCatalog() (read.ts, cached).
 */
export async function buildCatalog(
  input: { files?: CatalogFiles; discovery?: PortalSettings["discovery"]; developerApi?: PortalSettings["developerApi"] | null } = {},
): Promise<Catalog> {
  const files = input.files ?? loadCatalogFiles();
  const discovery = input.discovery ?? getPortalSettings().discovery;
  const developerApi = input.developerApi === null ? undefined : (input.developerApi ?? getPortalSettings().developerApi);
  const [plans, restApis] = await Promise.all([listUsagePlans(), listRestApis()]);
  const problems: string[] = [];
  const apis = new Map<string, CatalogApi>(); // by apiId/stage
  const usedSlugs = new Set<string>();

  function addApi(restApi: RestApiSummary, stage: string, presentation: { name?: string; slug?: string; image?: string; spec?: string }): CatalogApi {
    const key = `${restApi.id}/${stage}`;
    const existing = apis.get(key);
    if (existing) return existing;
    let slug = presentation.slug ?? slugify(presentation.name ?? restApi.name);
    if (usedSlugs.has(slug)) slug = `${slug}-${slugify(stage)}`;
    usedSlugs.add(slug);
    const api: CatalogApi = {
      slug,
      name: presentation.name ?? restApi.name,
      apiId: restApi.id,
      stage,
      ...(restApi.description ? { description: restApi.description } : {}),
      ...(presentation.image ? { image: presentation.image } : {}),
      spec: presentation.spec ? { source: "file", file: presentation.spec } : { source: "export", file: `${restApi.name} (${stage})`, sha: "" },
    };
    apis.set(key, api);
    return api;
  }

  const products: CatalogProduct[] = [];
  const claimedPlans = new Set<string>();
  for (const product of files.products) {
    const plan = findByIdOrName(plans, product.usagePlan);
    if (!plan) {
      problems.push(`${product.file}: usage plan '${product.usagePlan}' was not found in API Gateway`);
      continue;
    }
    claimedPlans.add(plan.id);
    const apiSlugs: string[] = [];
    for (const entry of product.apis) {
      const restApi = findByIdOrName(restApis, entry.api);
      if (!restApi) {
        problems.push(`${product.file}: REST API '${entry.api}' was not found in API Gateway`);
        continue;
      }
      apiSlugs.push(addApi(restApi, entry.stage, entry).slug);
    }
    products.push({
      slug: product.slug,
      name: product.name,
      ...(product.summary ? { summary: product.summary } : {}),
      ...(product.description ? { description: product.description } : {}),
      visibility: product.visibility,
      approvalRequired: product.approvalRequired,
      plan,
      apiSlugs,
      source: "catalog",
      file: product.file,
    });
  }

  if (discovery.enabled) {
    const productSlugs = new Set(products.map((p) => p.slug));
    for (const plan of plans) {
      if (claimedPlans.has(plan.id) || !matchesTag(plan, discovery.tag)) continue;
      const apiSlugs = plan.apiStages.flatMap((s) => {
        const restApi = restApis.find((a) => a.id === s.apiId);
        return restApi ? [addApi(restApi, s.stage, {}).slug] : [];
      });
      let slug = slugify(plan.name);
      if (productSlugs.has(slug)) slug = `${slug}-${plan.id}`;
      productSlugs.add(slug);
      products.push({
        slug,
        name: plan.name,
        ...(plan.description ? { summary: plan.description } : {}),
        visibility: discovery.visibility,
        approvalRequired: false,
        plan,
        apiSlugs,
        source: "discovered",
      });
    }
  }

  // One export per API stage: the invoke URL for all, and the spec where catalog/ has none.
  await Promise.all(
    [...apis.values()].map(async (api) => {
      try {
        const exported = await exportStage(api.apiId, api.stage);
        if (exported.invokeUrl) api.invokeUrl = exported.invokeUrl;
        if (api.spec.source === "export") api.spec.sha = keepExportedSpec(exported.text);
      } catch (error) {
        problems.push(`${api.name} (${api.stage}): could not export the definition: ${(error as Error).message}`);
      }
    }),
  );

  const documented = [...apis.values()].filter((api) => api.spec.source === "file" || api.spec.sha);
  if (developerApi) {
    const slug = usedSlugs.has("developer-api") ? "portal-developer-api" : "developer-api";
    documented.push({
      slug,
      name: "Developer API",
      apiId: "portico",
      stage: "v1",
      description: "The portal's own API: your keys, subscriptions and usage, with a portal token.",
      ...(portalApiUrl() ? { invokeUrl: portalApiUrl() } : {}),
      spec: { source: "file", file: developerApi.spec },
      sdksOff: true,
      portal: { visibility: developerApi.visibility },
    });
  }

  return {
    products,
    apis: documented,
    guides: files.guides,
    refreshedAt: new Date().toISOString(),
    problems,
  };
}

function canSee(visibility: Visibility, viewer: Viewer): boolean {
  if (visibility === "public" || viewer.isAdmin) return true;
  if (!viewer.user) return false;
  if (visibility === "signed-in") return true;
  if (visibility.startsWith("team:")) return viewer.teams?.includes(visibility.slice("team:".length)) ?? false;
  return viewer.user.groups.includes(visibility.slice("group:".length));
}

/**
 * What this viewer may see: products outside their visibility vanish, and APIs only reachable
 * through them too. Products an admin hid vanish for everyone, unless `includeHidden` and the
 * viewer is an admin (to open a hidden product's pages, never to list it).
 */
/** The team slugs the catalog's visibility rules name (products, guides, the Developer API entry). */
export function teamSlugsIn(catalog: Catalog): Set<string> {
  const rules = [...catalog.products.map((p) => p.visibility), ...catalog.guides.map((g) => g.visibility), ...catalog.apis.flatMap((a) => (a.portal ? [a.portal.visibility] : []))];
  return new Set(rules.filter((v) => v.startsWith("team:")).map((v) => v.slice("team:".length)));
}

/** Whether anything is shown to named teams only (then viewers' teams are read). */
export const usesTeamVisibility = (catalog: Catalog): boolean => teamSlugsIn(catalog).size > 0;

export function visibleTo(catalog: Catalog, viewer: Viewer, options: { includeHidden?: boolean } = {}): Catalog {
  const showHidden = options.includeHidden === true && viewer.isAdmin;
  const products = catalog.products.filter((p) => canSee(p.visibility, viewer) && (!p.hidden || showHidden));
  const apiSlugs = new Set(products.flatMap((p) => p.apiSlugs));
  return {
    ...catalog,
    products,
    apis: catalog.apis.filter((a) => apiSlugs.has(a.slug) || (a.portal && canSee(a.portal.visibility, viewer))),
    guides: catalog.guides.filter((g) => canSee(g.visibility, viewer)),
    problems: viewer.isAdmin ? catalog.problems : [],
  };
}
