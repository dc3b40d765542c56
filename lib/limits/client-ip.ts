// No imports: infra/ reads the header's name from here without loading the limiter.

/**
 * The header CloudFront's viewer-request function sets to the viewer's address (infra/web.ts),
 * replacing whatever the client sent; origin protection keeps anyone from going around CloudFront.
 */
export const VIEWER_IP_HEADER = "x-portico-viewer-ip";

const IP = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * The client's IP address: CloudFront's header in AWS; elsewhere (the sandbox) the last
 * X-Forwarded-For entry, the one the nearest proxy (Next's own server) added or kept.
 */
export function clientIp(headers: Headers): string {
  const viewer = headers.get(VIEWER_IP_HEADER)?.trim();
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  const ip = viewer || forwarded || "";
  return IP.test(ip) ? ip : "unknown";
}
