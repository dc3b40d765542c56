import { siteUrl } from "../catalog/markdown";
import { getCatalogFor } from "../catalog/read";
import type { CatalogApi, CatalogProduct, Viewer } from "../catalog/types";

/**
 * What the consumer API (/api/v1) and the MCP server (/mcp) show of the catalog: the products and
 * APIs this viewer may see, with their limits and where their docs are — plain JSON, read from the
 * cached catalog (0 control-plane calls).
 */

export interface ProductSummary {
  slug: string;
  name: string;
  summary?: string;
  planId: string;
  approvalRequired: boolean;
  throttle?: { rateLimit?: number; burstLimit?: number };
  quota?: { limit: number; period: "DAY" | "WEEK" | "MONTH" };
  apis: string[];
  docs: string;
}

export interface ApiSummary {
  slug: string;
  name: string;
  description?: string;
  baseUrl?: string;
  /** The products (plans) that include it. */
  products: string[];
  docs: string;
  markdown: string;
}

export function productSummary(product: CatalogProduct, site = siteUrl()): ProductSummary {
  const { throttle, quota } = product.plan;
  return {
    slug: product.slug,
    name: product.name,
    ...(product.summary ? { summary: product.summary } : {}),
    planId: product.plan.id,
    approvalRequired: product.approvalRequired,
    ...(throttle ? { throttle } : {}),
    ...(quota ? { quota: { limit: quota.limit, period: quota.period } } : {}),
    apis: product.apiSlugs,
    docs: `${site}/products/${encodeURIComponent(product.slug)}`,
  };
}

export function apiSummary(api: CatalogApi, products: CatalogProduct[], site = siteUrl()): ApiSummary {
  const docs = `${site}/apis/${encodeURIComponent(api.slug)}`;
  return {
    slug: api.slug,
    name: api.name,
    ...(api.description ? { description: api.description } : {}),
    ...(api.invokeUrl ? { baseUrl: api.invokeUrl } : {}),
    products: products.filter((p) => p.apiSlugs.includes(api.slug)).map((p) => p.slug),
    docs,
    markdown: `${docs}.md`,
  };
}

export async function listProductsFor(viewer: Viewer): Promise<ProductSummary[]> {
  const site = siteUrl();
  return (await getCatalogFor(viewer)).products.map((p) => productSummary(p, site));
}

export async function listApisFor(viewer: Viewer): Promise<ApiSummary[]> {
  const site = siteUrl();
  const catalog = await getCatalogFor(viewer);
  return catalog.apis.map((a) => apiSummary(a, catalog.products, site));
}
