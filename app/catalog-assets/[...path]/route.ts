// GET /catalog-assets/<file> – images the owner put in catalog/ (only image files, never specs)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CATALOG_DIR } from "@/lib/catalog/settings";

const TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };

export async function GET(_request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const relative = (await params).path.join("/");
  const file = path.resolve(CATALOG_DIR, relative);
  const type = TYPES[path.extname(file).toLowerCase()];
  if (!type || !file.startsWith(`${CATALOG_DIR}${path.sep}`)) return new Response("Not found", { status: 404 });
  try {
    return new Response(new Uint8Array(await readFile(file)), {
      // SVGs are owner content: served as images under a CSP that lets them run nothing.
      headers: { "content-type": type, "cache-control": "public, max-age=3600", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" },
    });
  } catch {
    return new Response("Not found", { status: 404 });
  }
}
