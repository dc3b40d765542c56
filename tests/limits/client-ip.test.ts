import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/limits/client-ip";

const ipOf = (headers: Record<string, string>) => clientIp(new Headers(headers));

describe("clientIp: the address the portal's per-IP limits count", () => {
  it("takes CloudFront's viewer header over anything in X-Forwarded-For", () => {
    expect(ipOf({ "x-portico-viewer-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1" })).toBe("203.0.113.7");
  });

  it("otherwise takes the last X-Forwarded-For entry (the nearest proxy's), not what the client put first", () => {
    expect(ipOf({ "x-forwarded-for": "10.0.0.1, 198.51.100.2" })).toBe("198.51.100.2");
  });

  it("counts an IPv6 client as its /64, however it is written, and an IPv4-mapped one as IPv4", () => {
    for (const ip of ["2001:db8:0:1::1", "2001:DB8:0:1:ffff:ffff:ffff:ffff", "2001:0db8:0000:0001:0:0:0:7"])
      expect(ipOf({ "x-portico-viewer-ip": ip })).toBe("2001:db8:0:1::/64");
    expect(ipOf({ "x-portico-viewer-ip": "2001:db8::1" })).toBe("2001:db8:0:0::/64");
    expect(ipOf({ "x-portico-viewer-ip": "::ffff:192.0.2.1" })).toBe("192.0.2.1");
  });

  it("answers 'unknown' for anything that is not an address (one shared bucket, never a row key a client shapes)", () => {
    for (const value of ["", "not an ip", "1.2.3.4#user#x", "fe80::1%eth0", "x".repeat(100)]) expect(ipOf({ "x-forwarded-for": value })).toBe("unknown");
    expect(ipOf({})).toBe("unknown");
  });
});
