// GET /robots.txt – the sitemap, and the signed-in, admin and machine areas kept out of search engines.
import type { MetadataRoute } from "next";
import { siteUrl } from "@/lib/catalog/markdown";
import { robotsFor } from "@/lib/catalog/sitemap";

// The portal's address is the running server's (AUTH_URL), not the build's.
export const dynamic = "force-dynamic";

export default function robots(): MetadataRoute.Robots {
  return robotsFor(siteUrl());
}
