import { conditionally, getItem, putItem } from "../db/items";
import { CATALOG_OVERRIDES_KEY } from "../db/keys";
import { AppError } from "../errors";
import { NO_OVERRIDES, parseOverrides, type CatalogOverrides } from "./overrides";

/**
 * The catalog overrides row (lib/db/keys.ts CATALOG_OVERRIDES_KEY):
 *
 *   pk = PORTICO#SETTINGS, sk = CATALOG
 *   version      number, +1 per write; every write is conditional on the version it read
 *   hiddenPlans  [usage plan id]       products hidden from the catalog
 *   sdksOff      ["<apiId>/<stage>"]   API stages without SDK downloads
 *   updatedAt, updatedBy
 *
 * No row means nothing is overridden. Validated with zod on the way in and out.
 */
export const CONFLICT_MESSAGE = "Another administrator changed the catalog settings meanwhile. Check the current settings and try again.";

/** One GetItem. `consistent` for read-modify-write and the admin page; visitors' reads are cached (read.ts). */
export async function readCatalogOverrides(options: { consistent?: boolean } = {}): Promise<CatalogOverrides> {
  const item = await getItem<Record<string, unknown>>(CATALOG_OVERRIDES_KEY, { consistent: options.consistent });
  // The schema drops the key attributes (and anything else it doesn't know).
  return item ? parseOverrides(item) : NO_OVERRIDES;
}

/**
 * Stores `next` as version `expectedVersion + 1`, only if the row is still at `expectedVersion`
 * (or absent, for 0). Someone else's write in between is a 409 AppError, never a silent overwrite.
 */
export async function writeCatalogOverrides(next: Pick<CatalogOverrides, "hiddenPlans" | "sdksOff">, expectedVersion: number, options: { by?: string; now?: Date } = {}): Promise<CatalogOverrides> {
  const row = parseOverrides({
    hiddenPlans: [...new Set(next.hiddenPlans)].sort(),
    sdksOff: [...new Set(next.sdksOff)].sort(),
    version: expectedVersion + 1,
    updatedAt: (options.now ?? new Date()).toISOString(),
    ...(options.by ? { updatedBy: options.by } : {}),
  });
  const written = await conditionally(
    putItem(
      { ...CATALOG_OVERRIDES_KEY, ...row },
      // Version 0 is "no row yet" (or one written by hand without changes).
      { expression: expectedVersion === 0 ? "attribute_not_exists(pk) OR #version = :expected" : "#version = :expected", names: { "#version": "version" }, values: { ":expected": expectedVersion } },
    ),
  );
  if (!written) throw new AppError("conflict", CONFLICT_MESSAGE);
  return row;
}
