import path from "node:path";
import { loadApiDocument, readSpecFile } from "../openapi";
import { loadCatalogFiles } from "./files";
import { getPortalSettings } from "./settings";

/**
 * Everything in catalog/ that can be checked without AWS: settings, products, guides and every
 * OpenAPI file they name. Run by next.config.ts, so a broken catalog fails the build (and
 * `next dev`), naming the file and the place — never a page at runtime.
 */
export async function validateCatalog(): Promise<{ products: number; guides: number; specs: number }> {
  getPortalSettings();
  const files = loadCatalogFiles();
  const specFiles = [...new Set(files.products.flatMap((p) => p.apis.flatMap((a) => (a.spec ? [a.spec] : []))))];
  for (const file of specFiles) {
    const shown = path.posix.join("catalog", file);
    // The spec may $ref other files inside catalog/ (and only there).
    await loadApiDocument({ file: shown, text: readSpecFile(path.join(files.dir, file), shown) }, { files: { dir: files.dir, path: file } });
  }
  return { products: files.products.length, guides: files.guides.length, specs: specFiles.length };
}
