// GET /brand/logo – the owner's logo from catalog/
import { getPortalSettings, readLogo } from "@/lib/catalog/settings";

export const dynamic = "force-static";

export function GET() {
  const logo = readLogo(getPortalSettings());
  if (!logo) return new Response("No logo configured", { status: 404 });
  return new Response(new Uint8Array(logo.body), {
    headers: {
      "content-type": logo.contentType,
      "cache-control": "public, max-age=3600",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
