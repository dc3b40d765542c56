/**
 * API descriptions (OpenAPI 3.0/3.1, Swagger 2.0; JSON or YAML) turned into the portal's docs model.
 *
 * Loading a big spec costs up to a second of CPU (validation dominates): load each file once per
 * server process and keep the `ApiDocument` in memory, keyed by file and content (e.g. a
 * module-level `Map<string, Promise<ApiDocument>>`). Its schema graph is shared and may be
 * cyclic, so it does not survive JSON/RSC serialisation: don't return it from `'use cache'`
 * functions or pass it to client components — cache rendered pages instead, and give client
 * components `toTryItOperation(op)`.
 */
export { loadApiDocument } from "./load-document";
export { SpecError, type SpecLocation } from "./errors";
export { toDownloadableSpec, type DownloadableSpec, type SpecFormat } from "./download";
export { toTryItOperation, type TryItOperation } from "./try-it";
export { getOperation, getTag, securitySchemeLabel, typeLabel } from "./labels";
export { slugify } from "./slugs";
export { MAX_SPEC_BYTES } from "./parse-text";
export { readSpecFile, type SpecFiles } from "./external-refs";
export * from "./types";
