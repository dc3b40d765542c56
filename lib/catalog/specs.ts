import { createHash } from "node:crypto";
import path from "node:path";
import { exportStage, generateSdk, type SdkType } from "../apigateway";
import { processCache } from "../cache/process";
import { sharedCache, TAGS } from "../cache/shared";
import { loadApiDocument, readSpecFile, SpecError, type ApiDocument } from "../openapi";
import { CATALOG_DIR, getPortalSettings } from "./settings";
import type { CatalogApi } from "./types";

/**
 * Exported specs by content hash, kept by the process that exported them (buildCatalog). They
 * stay out of the cached catalog, which every page view reads and parses: a 2 MB spec inside it
 * cost each view about 8 ms.
 */
const exportedSpecs = processCache<string>("ExportedSpecs", 64_000_000);

/** Keeps an exported spec's text in this process; the catalog names it by the hash returned. */
export function keepExportedSpec(text: string): string {
  const sha = createHash("sha256").update(text).digest("base64url");
  exportedSpecs.set(sha, text, text.length);
  return sha;
}

/** The spec text if this process has it: a catalog/ file, or an export it made (else getSpecText). */
export function localSpecText(api: CatalogApi): string | undefined {
  // UTF-8 with or without a byte-order mark, or UTF-16 with one.
  return api.spec.source === "file" ? readSpecFile(path.join(CATALOG_DIR, api.spec.file), api.spec.file) : exportedSpecs.get(api.spec.sha);
}

// The hash is only part of the key: a changed export is a new entry.
const exportedSpecTexts = sharedCache({
  name: "ExportedSpecTexts",
  tags: [TAGS.catalog],
  revalidate: () => getPortalSettings().refreshMinutes * 60,
  load: async (apiId: string, stage: string, _sha: string) => (await exportStage(apiId, stage)).text,
});

/**
 * An API's spec text: from catalog/, from this process's own export, or — on a server that didn't
 * build the catalog — from the shared cache, exported once for all of them (keyed by its hash).
 */
export async function getSpecText(api: CatalogApi): Promise<string> {
  const local = localSpecText(api);
  if (local !== undefined) return local;
  const { sha } = api.spec as { sha: string }; // catalog/ files are always local: only an export can be missing
  return exportedSpecTexts.get(api.apiId, api.stage, sha);
}

/** GetSdk, cached for a day per API stage and type: the control-plane budget matters. Base64: the data cache holds JSON. */
const sdkZips = sharedCache({
  name: "SdkZips",
  tags: [TAGS.catalog],
  revalidate: () => 24 * 60 * 60,
  load: async (apiId: string, stage: string, type: SdkType) => Buffer.from(await generateSdk(apiId, stage, type)).toString("base64"),
});

export async function getSdkZip(api: CatalogApi, type: SdkType): Promise<Buffer> {
  return Buffer.from(await sdkZips.get(api.apiId, api.stage, type), "base64");
}

/** Parsed documents are cyclic (not JSON): this process's memory only. */
const apiDocuments = processCache<Promise<ApiDocument>>("ApiDocuments");
/**
 * Loads that failed (a broken spec, or one over the load's bounds), kept like successes: the next
 * request answers the same error at once instead of redoing seconds of work. A failure is kept for
 * `refreshMinutes` (when the catalog is read again anyway) or until an admin refreshes the catalog
 * on this server (Admin → Catalog → Refresh now calls forgetFailedApiDocuments).
 */
const failedDocuments = processCache<{ error: unknown; until: number }>("ApiDocumentFailures", 1_000);

/** The parsed reference for an API, once per spec version per server (a failure too, until the catalog refreshes). */
export function getApiDocument(api: CatalogApi): Promise<ApiDocument> {
  // catalog/ files don't change while the server runs: key them by path; exports by content hash.
  const key = api.spec.source === "file" ? `${api.slug}:file:${api.spec.file}` : `${api.slug}:export:${api.spec.sha}`;
  const failure = failedDocuments.get(key);
  if (failure && failure.until > Date.now()) return Promise.reject(failure.error);
  return apiDocuments.remember(key, () =>
    getSpecText(api)
      // A catalog/ file may $ref other files inside catalog/; an export stands alone.
      .then((text) => loadApiDocument({ file: api.spec.file, text }, api.spec.source === "file" ? { files: { dir: CATALOG_DIR, path: api.spec.file } } : {}))
      .catch((error: unknown) => {
        // Only a failure of the spec itself: a control-plane error exporting it is worth retrying.
        if (error instanceof SpecError) failedDocuments.set(key, { error, until: Date.now() + getPortalSettings().refreshMinutes * 60_000 }, 1);
        throw error;
      }),
  );
}

/** Forgets every remembered failure: the next request for each API loads its spec again. */
export function forgetFailedApiDocuments(): void {
  failedDocuments.clear();
}
