import { z } from "zod";
import type { PlanTerms } from "../apigateway/types";
import { AppError } from "../errors";
import type { PortalSettings } from "./settings";
import type { Catalog, CatalogApi, CatalogProduct } from "./types";

/**
 * What admins change in the catalog without a redeploy (Admin → Catalog), on top of what
 * catalog/ and API Gateway say: products hidden (by usage plan id) and API stages whose SDK
 * downloads are off. One row in the table (overrides-store.ts); everything here is pure.
 */

const planIdSchema = z.string({ error: "planId must be a usage plan id." }).regex(/^[A-Za-z0-9]{1,64}$/, "That isn't a valid usage plan id.");
const apiIdSchema = z.string({ error: "apiId must be a REST API id." }).regex(/^[A-Za-z0-9]{1,64}$/, "That isn't a valid REST API id.");
const stageSchema = z.string({ error: "stage must be a stage name." }).regex(/^[A-Za-z0-9_-]{1,128}$/, "That isn't a valid stage name.");
const versionSchema = z.number({ error: "version must be a number." }).int().min(0);

/** An API stage as the overrides name it: `<apiId>/<stage>`. */
export const apiStageKey = (api: Pick<CatalogApi, "apiId" | "stage">): string => `${api.apiId}/${api.stage}`;

export const catalogOverridesSchema = z.object({
  /** Bumped by every write; writes are conditional on it (two admins can't overwrite each other). */
  version: versionSchema,
  /** Usage plan ids whose products are hidden. */
  hiddenPlans: z.array(planIdSchema).max(1000),
  /** `<apiId>/<stage>` of API stages whose SDK downloads are off. */
  sdksOff: z.array(z.string().regex(/^[A-Za-z0-9]{1,64}\/[A-Za-z0-9_-]{1,128}$/, "must be <apiId>/<stage>")).max(1000),
  updatedAt: z.iso.datetime().optional(),
  /** Who made the last change (the admin's email or id). */
  updatedBy: z.string().max(320).optional(),
});

export type CatalogOverrides = z.infer<typeof catalogOverridesSchema>;

/** No row yet: everything published, SDKs on. */
export const NO_OVERRIDES: CatalogOverrides = { version: 0, hiddenPlans: [], sdksOff: [] };

/** Validates a stored row (or what is about to be stored); the problem names the field. */
export function parseOverrides(value: unknown): CatalogOverrides {
  const parsed = catalogOverridesSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`The catalog settings row is invalid: ${problems}`);
  }
  return parsed.data;
}

/** The catalog as visitors get it: hidden products and SDK switches marked (not removed: see visibleTo). */
export function applyOverrides(catalog: Catalog, overrides: CatalogOverrides): Catalog {
  if (overrides.hiddenPlans.length === 0 && overrides.sdksOff.length === 0) return catalog;
  const hidden = new Set(overrides.hiddenPlans);
  const sdksOff = new Set(overrides.sdksOff);
  return {
    ...catalog,
    products: catalog.products.map((p) => (hidden.has(p.plan.id) ? { ...p, hidden: true } : p)),
    apis: catalog.apis.map((a) => (sdksOff.has(apiStageKey(a)) ? { ...a, sdksOff: true } : a)),
  };
}

// What PATCH /api/admin/catalog accepts: one switch at a time, optionally with the version the admin saw.
const notAChange = { error: (issue: { code: string }) => (issue.code === "invalid_type" ? "Send { planId, published } or { apiId, stage, sdks }." : undefined) };
const publishChange = z.strictObject(
  { planId: planIdSchema, published: z.boolean({ error: "published must be true or false." }), version: versionSchema.optional() },
  notAChange,
);
const sdkChange = z.strictObject(
  { apiId: apiIdSchema, stage: stageSchema, sdks: z.boolean({ error: "sdks must be true or false." }), version: versionSchema.optional() },
  notAChange,
);

export type CatalogChange = z.infer<typeof publishChange> | z.infer<typeof sdkChange>;

/** The schema for a change: an API switch when the body names an apiId, else a product switch. */
export function catalogChangeSchema(body: unknown): typeof publishChange | typeof sdkChange {
  return body !== null && typeof body === "object" && "apiId" in body ? sdkChange : publishChange;
}

export interface CatalogAuditChange {
  type: "catalog.published" | "catalog.hidden" | "catalog.sdks-enabled" | "catalog.sdks-disabled";
  target: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * Applies one switch to the overrides. The plan or API stage must be in the catalog (404
 * otherwise). `changed` is false when it already was so: nothing to write or record.
 */
export function applyChange(current: CatalogOverrides, catalog: Catalog, change: CatalogChange): { next: CatalogOverrides; changed: boolean; audit: CatalogAuditChange } {
  if ("planId" in change) {
    const products = catalog.products.filter((p) => p.plan.id === change.planId);
    if (products.length === 0) throw new AppError("not_found", `There is no usage plan ${change.planId} in the catalog. Refresh from API Gateway if it is new.`);
    const wasPublished = !current.hiddenPlans.includes(change.planId);
    const hiddenPlans = change.published ? current.hiddenPlans.filter((id) => id !== change.planId) : [...new Set([...current.hiddenPlans, change.planId])];
    const subject = { planId: change.planId, name: products[0]!.plan.name, products: products.map((p) => p.slug) };
    return {
      next: { ...current, hiddenPlans },
      changed: wasPublished !== change.published,
      audit: { type: change.published ? "catalog.published" : "catalog.hidden", target: change.planId, before: { ...subject, published: wasPublished }, after: { ...subject, published: change.published } },
    };
  }
  const api = catalog.apis.find((a) => a.apiId === change.apiId && a.stage === change.stage);
  if (!api) throw new AppError("not_found", `There is no API ${change.apiId} with stage ${change.stage} in the catalog.`);
  const key = apiStageKey(api);
  const wasOn = !current.sdksOff.includes(key);
  const sdksOff = change.sdks ? current.sdksOff.filter((k) => k !== key) : [...new Set([...current.sdksOff, key])];
  const subject = { apiId: api.apiId, stage: api.stage, name: api.name };
  return {
    next: { ...current, sdksOff },
    changed: wasOn !== change.sdks,
    audit: { type: change.sdks ? "catalog.sdks-enabled" : "catalog.sdks-disabled", target: key, before: { ...subject, sdks: wasOn }, after: { ...subject, sdks: change.sdks } },
  };
}

export interface AdminProductRow {
  slug: string;
  name: string;
  summary?: string;
  planId: string;
  planName: string;
  source: CatalogProduct["source"];
  /** catalog/products/<file>, for products described there. */
  file?: string;
  visibility: CatalogProduct["visibility"];
  approvalRequired: boolean;
  apiStages: { apiId: string; stage: string; name?: string }[];
  throttle?: PlanTerms["throttle"];
  quota?: PlanTerms["quota"];
  productCode?: string;
  published: boolean;
}

export interface AdminApiRow {
  slug: string;
  name: string;
  apiId: string;
  stage: string;
  spec: { source: "file" | "export"; file: string };
  /** Names of the products that include this API stage. */
  products: string[];
  sdks: boolean;
}

/** What Admin → Catalog shows and GET /api/admin/catalog answers. */
export interface AdminCatalogView {
  version: number;
  updatedAt?: string;
  updatedBy?: string;
  refreshedAt: string;
  problems: string[];
  discovery: PortalSettings["discovery"];
  products: AdminProductRow[];
  apis: AdminApiRow[];
}

export function adminCatalogView(catalog: Catalog, overrides: CatalogOverrides, discovery: PortalSettings["discovery"]): AdminCatalogView {
  const hidden = new Set(overrides.hiddenPlans);
  const sdksOff = new Set(overrides.sdksOff);
  const apiByStage = new Map(catalog.apis.map((a) => [apiStageKey(a), a]));
  return {
    version: overrides.version,
    ...(overrides.updatedAt ? { updatedAt: overrides.updatedAt } : {}),
    ...(overrides.updatedBy ? { updatedBy: overrides.updatedBy } : {}),
    refreshedAt: catalog.refreshedAt,
    problems: catalog.problems,
    discovery,
    products: catalog.products.map((p) => ({
      slug: p.slug,
      name: p.name,
      ...(p.summary ? { summary: p.summary } : {}),
      planId: p.plan.id,
      planName: p.plan.name,
      source: p.source,
      ...(p.file ? { file: p.file } : {}),
      visibility: p.visibility,
      approvalRequired: p.approvalRequired,
      apiStages: p.plan.apiStages.map((s) => {
        const name = apiByStage.get(apiStageKey(s))?.name;
        return { apiId: s.apiId, stage: s.stage, ...(name ? { name } : {}) };
      }),
      ...(p.plan.throttle ? { throttle: p.plan.throttle } : {}),
      ...(p.plan.quota ? { quota: p.plan.quota } : {}),
      ...(p.plan.productCode ? { productCode: p.plan.productCode } : {}),
      published: !hidden.has(p.plan.id),
    })),
    // The portal's own Developer API is not an API Gateway stage: nothing here switches it.
    apis: catalog.apis.filter((a) => !a.portal).map((a) => ({
      slug: a.slug,
      name: a.name,
      apiId: a.apiId,
      stage: a.stage,
      spec: { source: a.spec.source, file: a.spec.file },
      products: catalog.products.filter((p) => p.apiSlugs.includes(a.slug)).map((p) => p.name),
      sdks: !sdksOff.has(apiStageKey(a)),
    })),
  };
}
