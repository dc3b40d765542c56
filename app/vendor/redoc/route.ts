// GET /vendor/redoc – Redoc's standalone bundle, served from our own origin (the CSP allows only 'self')
import { readFile } from "node:fs/promises";
import path from "node:path";

export const dynamic = "force-static";

export async function GET() {
  const file = path.join(/* turbopackIgnore: true */ process.cwd(), "node_modules/redoc/bundles/redoc.standalone.js");
  return new Response(await readFile(file), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
}
