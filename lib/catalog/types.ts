import type { PlanTerms } from "../apigateway/types";
import type { GuideFile, Visibility } from "./files";

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
  /** An exported spec is named by its content hash: the text stays out of the catalog (see specs.ts). */
  spec: { source: "file"; file: string } | { source: "export"; file: string; sha: string };
  /** An admin turned SDK downloads off for this API stage (Admin → Catalog; see overrides.ts). */
  sdksOff?: boolean;
  /**
   * The portal's own Developer API (portal.yaml `developerApi`): served by the portal, not API
   * Gateway, so in no plan; who may read its docs is this, not a product's visibility.
   */
  portal?: { visibility: Visibility };
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

/** What the catalog needs to know of whoever is looking (lib/auth's Caller is one). */
export interface Viewer {
  isAdmin: boolean;
  user: { id?: string; groups: string[] } | null;
  /** Slugs of the teams the viewer is in, for `visibility: team:<slug>` (read by getCatalogFor when the catalog uses it). */
  teams?: string[];
}

/** What lib/access needs to know of a product to subscribe to it, or to say what subscribing would do. */
export interface SubscribeTarget {
  planId: string;
  productSlug: string;
  productName: string;
  approvalRequired: boolean;
  apiStages: { apiId: string; stage: string }[];
}

/** The product AWS Marketplace sells under a product code. */
export interface MarketplaceProduct {
  planId: string;
  productSlug: string;
  productName: string;
}
