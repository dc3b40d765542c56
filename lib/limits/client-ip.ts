// No imports: infra/ reads the header's name from here without loading the limiter.

/**
 * The header CloudFront's viewer-request function sets to the viewer's address (infra/web.ts),
 * replacing whatever the client sent; origin protection keeps anyone from going around CloudFront.
 */
export const VIEWER_IP_HEADER = "x-portico-viewer-ip";

const IP = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * The client's IP address (an IPv6 one as its /64): CloudFront's header in AWS; elsewhere (the
 * sandbox, a bare `next start`) the last X-Forwarded-For entry, which Next's own server adds only
 * when the client sent none — without CloudFront in front, clients choose their address.
 */
export function clientIp(headers: Headers): string {
  const viewer = headers.get(VIEWER_IP_HEADER)?.trim();
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  const ip = viewer || forwarded || "";
  if (!IP.test(ip)) return "unknown";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1]; // an IPv4 client seen over IPv6
  return mapped ?? (ip.includes(":") ? ipv6Network(ip) : ip);
}

/**
 * An IPv6 address's /64 network (`2001:db8:0:1::/64`): one subscriber usually holds a whole /64,
 * so counting per address would let one client walk through 2^64 of them.
 */
function ipv6Network(ip: string): string {
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An IPv4 tail (::ffff:192.0.2.1) takes the last two groups: those are past the /64 anyway.
  const missing = tail === undefined ? 0 : Math.max(0, 8 - left.length - right.length);
  const groups = [...left, ...Array<string>(missing).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, "") || "0")
    .join(":")}::/64`;
}
