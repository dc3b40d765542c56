import { badRequest } from "./errors";

/** A mailbox as SES reads it: `a@example.com`, `Name <a@example.com>` or `"Last, First" <a@example.com>`. */
export interface Mailbox {
  /** As given, display name included: what the message's header shows. */
  display: string;
  /** The addr-spec alone, lower-cased domain: what delivery, suppression and the simulator go by. */
  address: string;
}

const ANGLE = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^<>]*)>\s*$/;
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Parses one address the way SES validates it, failing with the BadRequestException messages SES
 * gives (its parser's: "Missing final '@domain'", "Missing domain", "Illegal address"…).
 */
export function parseMailbox(raw: string): Mailbox {
  if (raw.trim() === "") throw badRequest(`Invalid email address ${raw}.`);
  if (/[\r\n]/.test(raw)) throw badRequest("Illegal address");
  const angled = ANGLE.exec(raw);
  if (!angled && /[<>]/.test(raw)) throw badRequest(raw.includes("<") && !raw.includes(">") ? "Missing '>'" : "Illegal address");
  const spec = (angled ? angled[3]! : raw).trim();
  const at = spec.lastIndexOf("@");
  if (at === -1) throw badRequest("Missing final '@domain'");
  const local = spec.slice(0, at);
  const domain = spec.slice(at + 1);
  if (domain === "") throw badRequest("Missing domain");
  if (local === "") throw badRequest("Missing local name");
  if (/[\s\x00-\x1f\x7f]/.test(local)) throw badRequest("Local address contains control or whitespace");
  if (!LOCAL_ATOM.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    throw badRequest("Local address contains illegal character");
  }
  if (!DOMAIN.test(domain)) throw badRequest("Domain contains illegal character");
  return { display: raw.trim(), address: `${local}@${domain.toLowerCase()}` };
}

/** The domain of an address, for the `ses:from-domain` tag and the identity ARN. */
export const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1);

/**
 * The SES mailbox simulator (docs: "Using the mailbox simulator"): addresses at
 * simulator.amazonses.com, with an optional `+label`, that bounce, complain or act suppressed.
 */
export type SimulatorOutcome = "delivered" | "bounce" | "complaint" | "suppressionlist";

export function simulatorOutcome(address: string): SimulatorOutcome | undefined {
  const match = /^(success|bounce|ooto|complaint|suppressionlist)(?:\+[^@]*)?@simulator\.amazonses\.com$/i.exec(address);
  if (!match) return undefined;
  const kind = match[1]!.toLowerCase();
  // An out-of-office reply is delivered mail as far as the sender's events go.
  return kind === "success" || kind === "ooto" ? "delivered" : (kind as SimulatorOutcome);
}
