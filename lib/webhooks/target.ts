import { lookup as dnsLookup } from "node:dns/promises";
import net, { type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { AppError } from "../errors";
import { allowPrivateTargets } from "./settings";

/**
 * Where a webhook may be sent. Endpoint URLs are the developer's input and the portal POSTs to them
 * from inside the owner's network, so this is an SSRF boundary: only public unicast addresses
 * (judged after DNS, every address of the answer), no redirects (deliver.ts), and the connection
 * goes to the address that was judged (a pinned lookup), so a DNS answer that changes in between
 * (DNS rebinding) can't redirect it.
 */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

export interface TargetOptions {
  /** Loopback, private addresses and http: allowed (the sandbox and tests); default: PORTICO_WEBHOOKS_ALLOW_PRIVATE. */
  allowPrivate?: boolean;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; problem: string };

/**
 * What can be said of a URL without DNS: https (http too when private targets are allowed), no
 * credentials, no fragment, at most 2,048 characters, and an IP literal (in any notation the URL
 * parser accepts: 2130706433, 0177.0.0.1, 127.1, [::ffff:127.0.0.1]) judged by the address it reaches.
 */
export function checkWebhookUrl(input: string, options: TargetOptions = {}): UrlCheck {
  const allowPrivate = options.allowPrivate ?? allowPrivateTargets();
  const fail = (problem: string): UrlCheck => ({ ok: false, problem });
  if (input.length > WEBHOOK_URL_MAX_LENGTH) return fail(`The URL must be at most ${WEBHOOK_URL_MAX_LENGTH.toLocaleString("en")} characters.`);
  // The URL parser drops tabs and newlines silently: refuse them so what is shown is what is called.
  if (/[\u0000-\u0020\u007f]/.test(input)) return fail("The URL must not contain spaces or control characters.");
  if (!URL.canParse(input)) return fail("Enter a full URL, such as https://example.com/webhooks.");
  const url = new URL(input);
  const protocols = allowPrivate ? ["https:", "http:"] : ["https:"];
  if (!protocols.includes(url.protocol)) return fail("The URL must start with https://.");
  if (url.username || url.password || /^[a-z]+:\/*[^/?#]*@/i.test(input)) return fail("The URL must not contain a user name or password.");
  if (input.includes("#")) return fail("The URL must not contain a fragment (#…).");
  const host = hostOf(url);
  if (!host) return fail("The URL must name a host.");
  if (allowPrivate) return { ok: true, url };
  if (net.isIP(host)) {
    const problem = addressProblem(host);
    if (problem) return fail(`refused: ${host} is ${problem}`);
  } else if (/(^|\.)localhost$/.test(host.replace(/\.$/, ""))) {
    return fail(`refused: ${host} is a loopback name`);
  }
  return { ok: true, url };
}

/** For zod boundaries: the trimmed input, checked, as its normalized href (what is stored and shown). */
export function webhookUrlSchema(options: TargetOptions = {}) {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const checked = checkWebhookUrl(value, options);
      if (checked.ok) return checked.url.href;
      ctx.addIssue({ code: "custom", message: checked.problem });
      return z.NEVER;
    });
}

/** The URL's host as a request takes it: no IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

const DESCRIPTIONS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a private address",
  linkLocal: "a link-local address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  unspecified: "an unspecified address",
  carrierGradeNat: "a shared (carrier-grade NAT) address",
  reserved: "a reserved address",
  metadata: "the cloud metadata address",
};
/** Instance metadata (EC2, ECS, Lambda's runtime neighbours): named, as the reason people look for. */
const METADATA = new Set(["169.254.169.254", "169.254.170.2", "fd00:ec2::254"]);

/** Why `address` is not a public unicast address ("a private address"…), or undefined when it is. */
export function addressProblem(address: string): string | undefined {
  if (!net.isIP(address)) return "not an IP address";
  const parsed = ipaddr.parse(address);
  const range = rangeOf(parsed);
  if (range === undefined) return undefined;
  if (METADATA.has(embeddedIPv4(parsed)?.toString() ?? parsed.toString())) return DESCRIPTIONS.metadata;
  return DESCRIPTIONS[range] ?? "not a public address";
}

/** The special range an address is in, judging IPv6 forms that carry an IPv4 address by that address; undefined for public unicast. */
function rangeOf(ip: ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  const embedded = embeddedIPv4(ip);
  if (embedded) return rangeOf(embedded);
  const range = ip.range();
  if (ip.kind() === "ipv6") {
    // ::/8 holds the deprecated IPv4-compatible form (::127.0.0.1) and nothing public.
    if (range === "unicast" && (ip as ipaddr.IPv6).parts[0]! < 0x100) return "reserved";
    // 64:ff9b:1::/48 (local-use NAT64), Teredo, rfc6145 and the rest: not public destinations.
    if (range === "rfc6052" || range === "6to4") return "reserved";
  }
  return range === "unicast" ? undefined : range;
}

/** The IPv4 address an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 address reaches, if it is one. */
function embeddedIPv4(ip: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (ip.kind() !== "ipv6") return undefined;
  const v6 = ip as ipaddr.IPv6;
  const p = v6.parts;
  const fromWords = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (v6.match(ipaddr.IPv6.parse("64:ff9b::"), 96)) return fromWords(p[6]!, p[7]!);
  if (v6.range() === "6to4") return fromWords(p[1]!, p[2]!);
  return undefined;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Resolves a host name to all its addresses (injectable for tests). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** node:dns `lookup` (the system resolver, as a request would use), every address. */
export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

/** A checked target: connect to `address` (through `lookup`), with `host` as the Host header and TLS server name. */
export interface WebhookTarget {
  url: URL;
  host: string;
  address: string;
  family: 4 | 6;
  /** A lookup that answers `address` whatever it is asked: give it to the request. */
  lookup: LookupFunction;
}

/**
 * Checks `input` (checkWebhookUrl), resolves its host and refuses it if ANY address is not public
 * unicast; the first address is the one to connect to. Throws AppError: bad_request for a refused or
 * unknown target, unavailable when DNS fails for now.
 */
export async function resolveWebhookTarget(input: string | URL, options: TargetOptions & { resolve?: Resolver } = {}): Promise<WebhookTarget> {
  const allowPrivate = options.allowPrivate ?? allowPrivateTargets();
  const checked = checkWebhookUrl(typeof input === "string" ? input : input.href, { allowPrivate });
  if (!checked.ok) throw new AppError("bad_request", checked.problem);
  const url = checked.url;
  const host = hostOf(url);
  const answers = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await resolveHost(host, options.resolve ?? systemResolver);
  if (answers.length === 0) throw new AppError("bad_request", `${host} has no address (DNS).`);
  for (const { address } of answers) {
    // Answers come from a server the endpoint's owner may control: each must be a plain IP address.
    if (!net.isIP(address)) throw new AppError("bad_request", `refused: ${host} resolves to something that is not an IP address`);
    const problem = allowPrivate ? undefined : addressProblem(address);
    if (problem)
      throw new AppError("bad_request", address === host ? `refused: ${address} is ${problem}` : `refused: ${host} resolves to ${address}, ${problem}`);
  }
  const address = answers[0]!.address;
  const family = net.isIP(address) as 4 | 6;
  return { url, host, address, family, lookup: pinnedLookup(address, family) };
}

async function resolveHost(host: string, resolve: Resolver): Promise<ResolvedAddress[]> {
  try {
    return await resolve(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTFOUND" || code === "ENODATA") throw new AppError("bad_request", `${host} was not found (DNS).`, { cause: error });
    throw new AppError("unavailable", `DNS lookup of ${host} failed${code ? ` (${code})` : ""}.`, { cause: error });
  }
}

/** A `lookup` for node:net that always answers the checked address: no second DNS query to be fooled by. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  // Answered on a later tick, as dns.lookup does: net and tls attach their handlers after calling it.
  return (_hostname, options, callback) =>
    process.nextTick(() => {
      if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    });
}

/**
 * For registering an endpoint: the URL checked as a delivery would check it (DNS included, so a name
 * that resolves to a private address is refused at once), as its normalized href. Deliveries check
 * again: DNS can change after registration. Throws AppError (bad_request, or unavailable when DNS
 * fails for now).
 */
export async function checkEndpointUrl(input: string, options: TargetOptions & { resolve?: Resolver } = {}): Promise<string> {
  return (await resolveWebhookTarget(input.trim(), options)).url.href;
}
