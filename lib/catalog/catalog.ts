import { createHash } from "node:crypto";
import { exportStage, listRestApis, listUsagePlans, type PlanTerms, type RestApiSummary } from "../apigateway";
import type { Caller } from "../auth/caller";
import { loadCatalogFiles, readCatalogText, type CatalogFiles, type GuideFile, type Visibility } from "./files";
import { SizedLru } from "../lru";
import { CATALOG_DIR, getPortalSettings, type PortalSettings } from "./settings";

export interface CatalogApi {
  /** URL name, unique in the catalog. */
  slug: string;
  name: string;
  apiId: string;
  stage: string;
  description?: string;
  image?: string;
  /** Where clients call the stage, from API Gateway's export. */
  invokeUrl?: string;
  /** The OpenAPI text: the owner's file in catalog/, or the stage's export. */
  /** An exported spec is named by its content hash: the text stays out of the catalog (see localSpecText). */
  spec: { source: "file"; file: string } | { source: "export"; file: string; sha: string };
  /** An admin turned SDK downloads off for this API stage (Admin → Catalog; see overrides.ts). */
  sdksOff?: boolean;
}

export interface CatalogProduct {
  slug: string;
  name: string;
  summary?: string;
  description?: string;
  visibility: Visibility;
  approvalRequired: boolean;
  plan: PlanTerms;
  apiSlugs: string[];
  /** Described in catalog/products/, or found in API Gateway by discovery. */
  source: "catalog" | "discovered";
  /** The product file in catalog/ (source "catalog"). */
  file?: string;
  /** An admin hid this product (Admin → Catalog; see overrides.ts): not listed, no subscriptions. */
  hidden?: boolean;
}

export interface Catalog {
  products: CatalogProduct[];
  apis: CatalogApi[];
  guides: GuideFile[];
  refreshedAt: string;
  /** What could not be matched in API Gateway (shown to admins, never breaks a page). */
  problems: string[];
}

export function slugify(text: string): string {
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
 * from API Gateway. This makes control-plane calls; read it through getCatalog() (cached).
 */
export async function buildCatalog(input: { files?: CatalogFiles; discovery?: PortalSettings["discovery"] } = {}): Promise<Catalog> {
  const files = input.files ?? loadCatalogFiles();
  const discovery = input.discovery ?? getPortalSettings().discovery;
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

  return {
    products,
    apis: [...apis.values()].filter((api) => api.spec.source === "file" || api.spec.sha),
    guides: files.guides,
    refreshedAt: new Date().toISOString(),
    problems,
  };
}

/**
 * Exported specs by content hash, kept by the process that exported them. They stay out of the
 * cached catalog, which every page view reads and parses: a 2 MB spec inside it cost each view
 * about 8 ms. On globalThis: Next bundles this module separately for pages and route handlers.
 */
const processWide = globalThis as typeof globalThis & { __porticoExportedSpecs?: SizedLru<string> };
const exportedSpecs = (processWide.__porticoExportedSpecs ??= new SizedLru<string>(64_000_000));

function keepExportedSpec(text: string): string {
  const sha = createHash("sha256").update(text).digest("base64url");
  exportedSpecs.set(sha, text, text.length);
  return sha;
}

/** The spec text if this process has it: a catalog/ file, or an export it made (else lib/catalog's getSpecText). */
export function localSpecText(api: CatalogApi): string | undefined {
  return api.spec.source === "file" ? readCatalogText(CATALOG_DIR, api.spec.file) : exportedSpecs.get(api.spec.sha);
}

export function canSee(visibility: Visibility, caller: Caller): boolean {
  if (visibility === "public" || caller.isAdmin) return true;
  if (!caller.user) return false;
  if (visibility === "signed-in") return true;
  return caller.user.groups.includes(visibility.slice("group:".length));
}

/**
 * What this caller may see: products outside their visibility vanish, and APIs only reachable
 * through them too. Products an admin hid vanish for everyone, unless `includeHidden` and the
 * caller is an admin (to open a hidden product's pages, never to list it).
 */
export function visibleTo(catalog: Catalog, caller: Caller, options: { includeHidden?: boolean } = {}): Catalog {
  const showHidden = options.includeHidden === true && caller.isAdmin;
  const products = catalog.products.filter((p) => canSee(p.visibility, caller) && (!p.hidden || showHidden));
  const apiSlugs = new Set(products.flatMap((p) => p.apiSlugs));
  return {
    ...catalog,
    products,
    apis: catalog.apis.filter((a) => apiSlugs.has(a.slug)),
    guides: catalog.guides.filter((g) => canSee(g.visibility, caller)),
    problems: caller.isAdmin ? catalog.problems : [],
  };
}
