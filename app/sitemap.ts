// GET /sitemap.xml – every page an anonymous visitor may open (lib/catalog/sitemap.ts), with absolute URLs.
import type { MetadataRoute } from "next";
import { publicSitemap } from "@/lib/catalog/sitemap";

// Read per request from the cached catalog (0 control-plane calls when warm), never frozen at build:
// the catalog and the portal's address are the running server's.
export const dynamic = "force-dynamic";

export default function sitemap(): Promise<MetadataRoute.Sitemap> {
  return publicSitemap();
}
