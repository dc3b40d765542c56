/**
 * The API reference as Markdown: the twin of each docs page (API overview, tag, operation) for AI
 * assistants and agents. Pure functions of the render-ready model and a little catalog context:
 * no I/O. Schemas are a shared, possibly recursive graph: every walk guards cycles, stops at
 * MAX_SCHEMA_DEPTH and every page stops at its size budget with a note saying so.
 */
import { typeLabel } from "./labels";
import { buildSamples } from "./samples";
import { toTryItOperation } from "./try-it";
import { groupMedia, fingerprint } from "./media-groups";
import type { ApiDocument, Example, MediaType, Operation, OperationSummary, Parameter, Schema, Tag } from "./types";

/** Nesting shown in a schema's list; deeper levels are named, not expanded. */
export const MAX_SCHEMA_DEPTH = 6;
/** Characters per page (operation, tag, overview); what's past it is cut with a note. */
export const MAX_PAGE_CHARS = 100_000;
/** Characters per example block. */
const MAX_EXAMPLE_CHARS = 4_000;

export const TRUNCATED_NOTE = "… truncated: this page is longer than the Markdown budget";

/** What the pages need to know of the catalog entry: names, where it's called, the plans' limits. */
export interface MarkdownApi {
  slug: string;
  name: string;
  stage: string;
  description?: string;
  /** Where clients call the stage. */
  invokeUrl?: string;
}

export interface MarkdownPlan {
  /** The product's name and its page's absolute Markdown URL. */
  product: string;
  url: string;
  throttle?: { rateLimit?: number; burstLimit?: number };
  quota?: { limit: number; period: "DAY" | "WEEK" | "MONTH" };
}

export interface MarkdownContext {
  /** The portal's absolute origin, e.g. "https://developer.example.com" (no trailing slash). */
  site: string;
  api: MarkdownApi;
  /** The visible plans (products) that include the API. */
  plans: MarkdownPlan[];
}

/** Absolute URLs of an API's twins. */
export const markdownUrls = {
  api: (site: string, api: string) => `${site}/apis/${encodeURIComponent(api)}.md`,
  operation: (site: string, api: string, op: string) => `${site}/apis/${encodeURIComponent(api)}/operations/${encodeURIComponent(op)}.md`,
  tag: (site: string, api: string, tag: string) => `${site}/apis/${encodeURIComponent(api)}/tags/${encodeURIComponent(tag)}.md`,
  spec: (site: string, api: string) => `${site}/apis/${encodeURIComponent(api)}/spec/json`,
};

/** Collects Markdown up to a budget; past it, further writes are dropped and a note ends the text. */
export class MarkdownWriter {
  private parts: string[] = [];
  private size = 0;
  private truncated = false;
  /** Where the complete content is (the spec's download), named in the note when the text is cut. */
  specUrl?: string;

  constructor(private readonly budget = MAX_PAGE_CHARS) {}

  get full(): boolean {
    return this.truncated;
  }

  line(text = ""): this {
    if (this.truncated) return this;
    const piece = `${text}\n`;
    if (this.size + piece.length > this.budget) {
      this.truncated = true;
      return this;
    }
    this.parts.push(piece);
    this.size += piece.length;
    return this;
  }

  toString(): string {
    const text = this.parts
      .join("")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd();
    const where = this.specUrl ? ` The complete definitions are in the OpenAPI spec: ${this.specUrl}` : "";
    return this.truncated ? `${text}\n\n> ${TRUNCATED_NOTE} (${Math.round(this.budget / 1000)} KB).${where}\n` : `${text}\n`;
  }
}

/** Text on one line, safe in a table cell. */
function cell(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

/** Text on one line, cut at `max` characters. */
export function oneLine(text: string | undefined, max = 300): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function code(text: string): string {
  const ticks = text.includes("`") ? "``" : "`";
  return `${ticks}${text.replace(/\n/g, " ")}${ticks}`;
}

function value(v: unknown): string {
  const text = typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
  return code(text.length > 80 ? `${text.slice(0, 79)}…` : text);
}

function fence(text: string, lang = ""): string[] {
  const body = text.length > MAX_EXAMPLE_CHARS ? `${text.slice(0, MAX_EXAMPLE_CHARS)}\n… (example truncated)` : text;
  const ticks = body.includes("```") ? "````" : "```";
  return [`${ticks}${lang}`, body, ticks];
}

function langOf(contentType: string): string {
  if (contentType.includes("json")) return "json";
  if (contentType.includes("xml")) return "xml";
  if (contentType.includes("yaml")) return "yaml";
  return "";
}

/** "integer<int32>, ≥ 1, one of `a`, `b`, default `x`". */
function schemaFacts(schema: Schema): string {
  const facts = [typeLabel(schema)];
  if (schema.deprecated) facts.push("deprecated");
  if (schema.readOnly) facts.push("read-only");
  if (schema.writeOnly) facts.push("write-only");
  facts.push(...schema.constraints.slice(0, 6));
  if (schema.enum?.length)
    facts.push(`one of ${schema.enum.slice(0, 20).map(value).join(", ")}${schema.enum.length > 20 ? `, … (${schema.enum.length} values)` : ""}`);
  if (schema.const !== undefined) facts.push(`always ${value(schema.const)}`);
  if (schema.default !== undefined) facts.push(`default ${value(schema.default)}`);
  return facts.join(", ");
}

function hasChildren(schema: Schema): boolean {
  return Boolean(
    schema.properties.length ||
    (schema.items && hasChildren(schema.items)) ||
    (schema.additionalProperties && schema.additionalProperties !== true) ||
    schema.oneOf?.length ||
    schema.anyOf?.length ||
    schema.allOf?.length,
  );
}

/**
 * A schema's contents as a nested list under `indent`: properties, array items' properties, map
 * values and alternatives. A schema already open above is marked recursive; past MAX_SCHEMA_DEPTH
 * a level is named, not expanded.
 */
export function writeSchema(out: MarkdownWriter, schema: Schema, indent = "", depth = 0, open: Schema[] = []): void {
  if (out.full) return;
  if (open.includes(schema)) return;
  const inner = [...open, schema];
  // An array's list is its items'.
  if (schema.items && !schema.properties.length && !schema.oneOf && !schema.anyOf && !schema.allOf) {
    if (!inner.includes(schema.items)) writeSchema(out, schema.items, indent, depth, inner);
    return;
  }
  const item = (label: string, child: Schema, required = false) => {
    const recursive = inner.includes(child) || (child.items !== undefined && inner.includes(child.items));
    const description = child.description ? `: ${oneLine(child.description)}` : "";
    const facts = schemaFacts(child);
    let note = "";
    if (recursive) note = ` (recursive: ${child.name ?? child.items?.name ?? "a schema"} again, see above)`;
    else if (depth + 1 >= MAX_SCHEMA_DEPTH && hasChildren(child)) note = ` (nested deeper than ${MAX_SCHEMA_DEPTH} levels: not expanded)`;
    out.line(`${indent}- ${label} (${facts}${required ? ", required" : ""})${description}${note}`);
    if (!recursive && depth + 1 < MAX_SCHEMA_DEPTH) {
      const target = child.items && !child.properties.length && !child.oneOf && !child.anyOf ? child.items : child;
      if (target !== child && inner.includes(target)) return;
      writeSchema(out, target, `${indent}  `, depth + 1, target === child ? inner : [...inner, child]);
    }
  };
  for (const property of schema.properties) {
    if (out.full) return;
    item(code(property.name), property.schema, property.required);
  }
  if (schema.additionalProperties && schema.additionalProperties !== true) item("*any other key*", schema.additionalProperties);
  else if (schema.additionalProperties === true && schema.properties.length) out.line(`${indent}- *any other key* (any)`);
  for (const [word, list] of [
    ["One of", schema.oneOf],
    ["Any of", schema.anyOf],
    ["All of", schema.allOf],
  ] as const) {
    if (!list?.length) continue;
    if (schema.discriminator && word !== "All of") out.line(`${indent}- ${word} (chosen by ${code(schema.discriminator.propertyName)}):`);
    else out.line(`${indent}- ${word}:`);
    const saved = indent;
    indent = `${indent}  `;
    list.slice(0, 20).forEach((option, i) => item(option.name ? code(option.name) : `option ${i + 1}`, option));
    if (list.length > 20) out.line(`${indent}- … ${list.length - 20} more`);
    indent = saved;
  }
  if (schema.items && (schema.properties.length || schema.oneOf || schema.anyOf)) item("items", schema.items);
}

/** Schemas already written on the page, by object and by shape, with the response that has them. */
type Written = Map<Schema | string, string>;

/** Media types whose schema is listed in full per body or response; the rest are named. */
const MAX_MEDIA_GROUPS = 4;
/** Content types named in a group's heading; the rest are listed below it, up to MAX_LISTED_TYPES. */
const HEADING_TYPES = 3;
const MAX_LISTED_TYPES = 40;

/**
 * A body's or response's media types, grouped by schema (lib/openapi/media-groups.ts): each
 * schema as a list once, headed by its types, then its examples. In a response (`where`), a schema
 * an earlier response already listed is named, not repeated.
 */
function writeContent(out: MarkdownWriter, content: MediaType[], heading: string, where?: { label: string; written: Written }): void {
  const groups = groupMedia(content);
  for (const group of groups.slice(0, MAX_MEDIA_GROUPS)) {
    if (out.full) return;
    const types = group.contentTypes;
    out
      .line(
        `${heading} ${types.slice(0, HEADING_TYPES).map(code).join(", ")}${types.length > HEADING_TYPES ? ", …" : ""}${types.length > 1 ? ` (${types.length} media types)` : ""}`,
      )
      .line();
    if (types.length > HEADING_TYPES)
      out
        .line(
          `Same schema for ${types.slice(HEADING_TYPES, MAX_LISTED_TYPES).map(code).join(", ")}${types.length > MAX_LISTED_TYPES ? ` and ${types.length - MAX_LISTED_TYPES} more` : ""}.`,
        )
        .line();
    if (group.schema) {
      const schema = group.schema;
      const shape = where ? fingerprint(schema) : null;
      const earlier = where && (where.written.get(schema) ?? (shape === null ? undefined : where.written.get(shape)));
      const name = schema.name ? code(schema.name) : typeLabel(schema);
      if (earlier) out.line(`Schema: ${name}, the same as the ${earlier} response's above.`).line();
      else {
        if (where) {
          where.written.set(schema, where.label);
          if (shape !== null) where.written.set(shape, where.label);
        }
        out.line(`Schema: ${name}${schema.description ? ` — ${oneLine(schema.description)}` : ""}`).line();
        writeSchema(out, schema);
        out.line();
      }
    }
    writeExamples(
      out,
      group.examples
        .slice(0, 2)
        .map(({ example, contentTypes }) => ({ example, note: types.length > 1 && contentTypes.length < types.length ? contentTypes : undefined })),
      langOf(types[0] as string),
    );
  }
  const rest = groups.slice(MAX_MEDIA_GROUPS).flatMap((g) => g.contentTypes);
  if (rest.length)
    out
      .line(`(${rest.length} more media types with other schemas: ${rest.slice(0, 10).map(code).join(", ")}${rest.length > 10 ? ", …" : ""}; see the spec.)`)
      .line();
}

function writeExamples(out: MarkdownWriter, examples: { example: Example; note?: string[] }[], lang: string): void {
  for (const { example, note } of examples) {
    const name = example.name ? ` ${code(example.name)}` : "";
    const whose = note ? ` (${note.slice(0, 10).map(code).join(", ")}${note.length > 10 ? ", …" : ""})` : "";
    out
      .line(`Example${name}${whose}${example.generated ? " (generated from the schema)" : ""}${example.summary ? `: ${oneLine(example.summary)}` : ""}`)
      .line();
    for (const l of fence(example.text + (example.truncated ? "\n…" : ""), lang)) out.line(l);
    out.line();
  }
}

function parameterTable(out: MarkdownWriter, parameters: Parameter[]): void {
  out.line("| Name | In | Type | Required | Description |").line("| --- | --- | --- | --- | --- |");
  for (const p of parameters) {
    if (out.full) return;
    const facts = p.schema ? schemaFacts(p.schema) : "any";
    const example = p.example ? ` Example: ${value(p.example.text)}.` : "";
    out.line(
      `| ${code(p.name)} | ${p.in} | ${cell(facts)} | ${p.required ? "yes" : "no"} | ${cell(`${p.deprecated ? "Deprecated. " : ""}${oneLine(p.description, 500)}${example}`)} |`,
    );
  }
  out.line();
}

function baseUrlOf(ctx: MarkdownContext, document: ApiDocument): string | undefined {
  return (ctx.api.invokeUrl ?? document.servers[0]?.url)?.replace(/\/+$/, "");
}

const PERIOD = { DAY: "day", WEEK: "week", MONTH: "month" } as const;

/** "**Free**: 10 requests per second (bursts of 20), 1,000 requests per day." */
export function planLimits(plan: MarkdownPlan): string {
  const parts: string[] = [];
  if (plan.throttle?.rateLimit !== undefined)
    parts.push(
      `${plan.throttle.rateLimit.toLocaleString("en-US")} requests per second${plan.throttle.burstLimit !== undefined ? ` (bursts of ${plan.throttle.burstLimit.toLocaleString("en-US")})` : ""}`,
    );
  else if (plan.throttle?.burstLimit !== undefined) parts.push(`bursts of ${plan.throttle.burstLimit.toLocaleString("en-US")} requests`);
  if (plan.quota) parts.push(`${plan.quota.limit.toLocaleString("en-US")} requests per ${PERIOD[plan.quota.period]}`);
  return `[${plan.product}](${plan.url}): ${parts.length ? parts.join(", ") : "no throttle or quota"}.`;
}

function writeRateLimits(out: MarkdownWriter, ctx: MarkdownContext): void {
  out.line("## Rate limits").line();
  if (!ctx.plans.length) out.line("No plan you can see includes this API.");
  else {
    out.line("Per API key, set by the plan (product) the key is subscribed to. Past them the API answers 429 Too Many Requests.").line();
    for (const plan of ctx.plans) out.line(`- ${planLimits(plan)}`);
  }
  out.line();
}

function writeAuth(out: MarkdownWriter, op: Operation): void {
  out.line("## Authentication").line();
  if (op.apiKeyRequired)
    out.line("Send your API key in the `x-api-key` header (create one on the portal's dashboard after subscribing to a plan that includes this API).");
  const others = op.security
    .map((requirement) => requirement.map((s) => s.label).join(" + "))
    .filter((label) => label && !(op.apiKeyRequired && /x-api-key/i.test(label)));
  if (others.length) out.line(`${op.apiKeyRequired ? "Also accepted or required" : "Accepted"}: ${others.map((l) => code(l)).join(" or ")}.`);
  if (!op.apiKeyRequired && !op.security.length) out.line("None: no credentials needed.");
  out.line();
}

/** An operation's page: what to call, how, with what, what comes back, and the limits. */
export function operationMarkdown(ctx: MarkdownContext, document: ApiDocument, op: Operation, out = new MarkdownWriter()): string {
  const base = baseUrlOf(ctx, document);
  const webhook = op.kind === "webhook";
  out.specUrl ??= markdownUrls.spec(ctx.site, ctx.api.slug);
  out.line(`# ${op.title}`).line();
  out
    .line(
      webhook
        ? `Webhook ${code(op.path)} (${op.method.toUpperCase()}) · ${ctx.api.name}`
        : `${code(`${op.method.toUpperCase()} ${op.path}`)} · [${ctx.api.name}](${markdownUrls.api(ctx.site, ctx.api.slug)})`,
    )
    .line();
  if (op.deprecated) out.line("> **Deprecated.** Avoid in new code.").line();
  if (op.summary && op.summary !== op.title) out.line(op.summary).line();
  if (op.description) out.line(op.description.trim()).line();
  if (!webhook) {
    out.line("## Endpoint").line();
    out.line(`- Method: ${code(op.method.toUpperCase())}`);
    out.line(`- Path: ${code(op.path)}`);
    out.line(base ? `- Base URL: ${code(base)}` : "- Base URL: not known (the stage's invoke URL is missing)");
    if (base) out.line(`- Full URL: ${code(`${base}${op.path}`)}`);
    if (op.operationId) out.line(`- Operation ID: ${code(op.operationId)}`);
    if (op.tags.length) out.line(`- Tags: ${op.tags.join(", ")}`);
    out.line();
    writeAuth(out, op);
  }
  if (op.parameters.length) {
    out.line("## Parameters").line();
    parameterTable(out, op.parameters);
  }
  if (op.requestBody) {
    out.line(`## ${webhook ? "Payload" : "Request body"}`).line();
    out.line(`${op.requestBody.required ? "Required." : "Optional."}${op.requestBody.description ? ` ${op.requestBody.description.trim()}` : ""}`).line();
    writeContent(out, op.requestBody.content, "###");
  }
  if (op.responses.length) {
    out.line("## Responses").line();
    const written: Written = new Map();
    for (const response of op.responses) {
      if (out.full) break;
      out.line(`### ${response.status}${response.description ? ` — ${oneLine(response.description)}` : ""}`).line();
      if (response.headers.length) {
        out.line("Headers:").line();
        for (const h of response.headers.slice(0, 20))
          out.line(`- ${code(h.name)} (${h.schema ? schemaFacts(h.schema) : "any"})${h.description ? `: ${oneLine(h.description)}` : ""}`);
        out.line();
      }
      writeContent(out, response.content, "####", { label: response.status, written });
    }
  }
  if (!webhook) {
    out.line("## Example request").line();
    // The docs pages' own sample (samples.ts): every value from the spec shell-quoted.
    for (const l of fence(buildSamples(toTryItOperation(op), base ?? "https://…", { kind: "literal", value: "YOUR_API_KEY" }).curl, "sh")) out.line(l);
    out.line();
    writeRateLimits(out, ctx);
  }
  if (op.externalDocs) out.line(`More: [${op.externalDocs.description ?? op.externalDocs.url}](${op.externalDocs.url})`).line();
  return out.toString();
}

function operationLink(ctx: MarkdownContext, op: OperationSummary): string {
  const label = op.kind === "webhook" ? `Webhook ${op.path}` : `${op.method.toUpperCase()} ${op.path}`;
  return `- [${op.title}](${markdownUrls.operation(ctx.site, ctx.api.slug, op.slug)}): ${code(label)}${op.deprecated ? " (deprecated)" : ""}${op.summary && op.summary !== op.title ? ` — ${oneLine(op.summary, 200)}` : ""}`;
}

/** A tag's page: its description and its operations, linked to their twins. */
export function tagMarkdown(ctx: MarkdownContext, document: ApiDocument, tag: Tag, out = new MarkdownWriter()): string {
  out.specUrl ??= markdownUrls.spec(ctx.site, ctx.api.slug);
  out.line(`# ${tag.name}`).line();
  out.line(`Part of [${ctx.api.name}](${markdownUrls.api(ctx.site, ctx.api.slug)}) (${document.title} ${document.version}).`).line();
  if (tag.description) out.line(tag.description.trim()).line();
  out.line("## Operations").line();
  for (const op of tag.operations) {
    if (out.full) break;
    out.line(operationLink(ctx, op));
  }
  out.line();
  return out.toString();
}

/** The API's overview: what it is, where and how to call it, the limits, and every operation. */
export function apiMarkdown(ctx: MarkdownContext, document: ApiDocument, out = new MarkdownWriter()): string {
  const base = baseUrlOf(ctx, document);
  const site = ctx.site;
  const slug = encodeURIComponent(ctx.api.slug);
  out.specUrl ??= markdownUrls.spec(site, ctx.api.slug);
  out.line(`# ${ctx.api.name}`).line();
  out
    .line(
      `${document.title}, version ${document.version} (stage ${code(ctx.api.stage)}). OpenAPI: [JSON](${site}/apis/${slug}/spec/json) · [YAML](${site}/apis/${slug}/spec/yaml)`,
    )
    .line();
  const description = ctx.api.description ?? document.description;
  if (description) out.line(description.trim()).line();
  out.line("## Base URL").line();
  out.line(base ? code(base) : "Not known: the stage's invoke URL is missing.").line();
  out.line("## Authentication").line();
  const ops = [...document.operations.values()].filter((o) => o.kind === "operation");
  const keyed = ops.filter((o) => o.apiKeyRequired).length;
  if (keyed)
    out.line(
      `${keyed === ops.length ? "Every operation" : `${keyed} of ${ops.length} operations`} need${keyed === ops.length ? "s" : ""} an API key in the \`x-api-key\` header: subscribe to a plan below, then create a key on the dashboard.`,
    );
  else out.line("No operation needs an API key.");
  const schemes = Object.values(document.securitySchemes).filter((s) => !(s.type === "apiKey" && s.name?.toLowerCase() === "x-api-key"));
  for (const s of schemes)
    out.line(
      `- ${code(s.key)}: ${s.type}${s.scheme ? ` ${s.scheme}` : ""}${s.name ? ` (${s.in ?? "header"} ${code(s.name)})` : ""}${s.description ? ` — ${oneLine(s.description)}` : ""}`,
    );
  out.line();
  writeRateLimits(out, ctx);
  out.line("## Operations").line();
  for (const tag of document.tags) {
    if (out.full) break;
    out.line(`### [${tag.name}](${markdownUrls.tag(site, ctx.api.slug, tag.slug)})`).line();
    if (tag.description) out.line(oneLine(tag.description, 500)).line();
    for (const op of tag.operations) {
      if (out.full) break;
      out.line(operationLink(ctx, op));
    }
    out.line();
  }
  return out.toString();
}

/** The overview then every operation, in tag order, as one text bounded by `budget` characters. */
export function apiFullMarkdown(ctx: MarkdownContext, document: ApiDocument, budget: number): string {
  const out = new MarkdownWriter(budget);
  apiMarkdown(ctx, document, out);
  const seen = new Set<string>();
  for (const tag of document.tags) {
    for (const summary of tag.operations) {
      if (out.full) break;
      if (seen.has(summary.slug)) continue;
      seen.add(summary.slug);
      const op = document.operations.get(summary.slug);
      if (!op) continue;
      // Each operation stays within its own page budget too, and its headings move one level down.
      const page = operationMarkdown(ctx, document, op).replace(/^(#+) /gm, "#$1 ");
      for (const l of page.trimEnd().split("\n")) out.line(l);
      out.line();
    }
  }
  return out.toString();
}
