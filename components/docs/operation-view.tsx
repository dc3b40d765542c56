/** @jsxImportSource preact */
import { type ComponentChildren, Fragment } from "preact";
import { count, markdownCost, PageBudget, plural, textCost } from "@/lib/openapi/budget";
// Not the index: these components must not pull the spec parser into any bundle they end up in.
import { typeLabel } from "@/lib/openapi/labels";
import { fingerprint, groupMedia, type MediaGroup } from "@/lib/openapi/media-groups";
import type { Example, Header, MediaType, Operation, Parameter, ParameterLocation, Response, Schema, Server } from "@/lib/openapi/types";
import { MethodBadge } from "./method-badge";
import { MARKDOWN_SCOPE, SafeMarkdown } from "./safe-markdown";
import { Facts, OmittedNote, SCHEMA_SCOPE, SchemaView } from "./schema-view";

type Level = 1 | 2 | 3;

/** Schemas already listed on the page (by object, and by shape), and where: later responses link there instead. */
type Listed = Map<Schema | string, { label: string; href: string }>;

// The page's bounds (see lib/openapi/budget.ts for the shared budget they spend from).
/** Parameters shown in full (description, facts, schema); the rest go in a compact table. */
const FULL_PARAMETERS = 40;
/** Responses shown in full (schemas, examples); the rest are listed by status and description. */
const FULL_RESPONSES = 20;
/** Differently-shaped media types shown in full per body or response. */
const FULL_MEDIA_GROUPS = 6;
/** A group's content types named in its heading; the rest are counted, then listed below (up to MAX_LISTED_TYPES). */
const HEADING_TYPES = 3;
const MAX_LISTED_TYPES = 40;
/** Example blocks per media group (identical examples are shown once). */
const MAX_EXAMPLES = 3;
/** Base URLs, security alternatives and scopes listed before "and N more". */
const MAX_LISTED = 10;
/** Characters of a description in a compact row. */
const COMPACT_DESCRIPTION = 160;
/** Estimated HTML of one parameter row, one compact row and one example block without their text. */
const PARAMETER_ROW_CHARS = 650;
const COMPACT_ROW_CHARS = 320;
const EXAMPLE_CHARS = 450;
/** Estimated HTML of a response's or media group's frame (headings, wrappers). */
const FRAME_CHARS = 600;

const LOCATION_LABEL: Record<ParameterLocation, string> = {
  path: "Path parameters",
  query: "Query parameters",
  header: "Header parameters",
  cookie: "Cookie parameters",
};

const REASON: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "202": "Accepted",
  "204": "No Content",
  "301": "Moved Permanently",
  "302": "Found",
  "304": "Not Modified",
  "400": "Bad Request",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "Not Found",
  "405": "Method Not Allowed",
  "409": "Conflict",
  "410": "Gone",
  "412": "Precondition Failed",
  "415": "Unsupported Media Type",
  "422": "Unprocessable Content",
  "429": "Too Many Requests",
  "500": "Internal Server Error",
  "502": "Bad Gateway",
  "503": "Service Unavailable",
  "504": "Gateway Timeout",
};

/** `id`s of an operation's sections, for deep links (`#list-pets-responses`). */
export function sectionId(slug: string, section: "parameters" | "request-body" | "responses" | `response-${string}`): string {
  return `${slug}-${section}`;
}

function Heading({ level, id, className, children }: { level: number; id?: string; className: string; children: ComponentChildren }) {
  const Tag = `h${Math.min(level, 6)}` as "h2";
  return (
    <Tag id={id} className={className}>
      {children}
    </Tag>
  );
}

/**
 * One operation (or webhook) in full, server-rendered: everything is in the HTML, nested schema
 * levels open with <details>. The title is an h1 by default; pass `headingLevel={2}` when several
 * operations share a page. Every id starts with the operation's slug, so they stay unique.
 * `servers` replaces the spec's base URLs (e.g. the API Gateway stage's invoke URL).
 */
export function OperationView({
  operation: op,
  headingLevel = 1,
  servers = op.servers,
  actions,
  budget = new PageBudget(),
  specHref,
}: {
  operation: Operation;
  headingLevel?: Level;
  servers?: Server[];
  /** Shown at the end of the header (the page's actions, components/docs/page-actions.tsx). */
  actions?: ComponentChildren;
  /**
   * The page's one output budget: parameters, bodies, responses, schemas and examples all spend
   * from it, and what doesn't fit is summarised (lib/openapi/budget.ts). One per page render.
   */
  budget?: PageBudget;
  /** The spec's download, linked from the notes that stand in for what was left out. */
  specHref?: string;
}) {
  const h = headingLevel;
  const webhook = op.kind === "webhook";
  // Parameters in their groups' order; the first FULL_PARAMETERS in full, the rest compact.
  const ordered = (["path", "query", "header", "cookie"] as const).flatMap((location) => op.parameters.filter((p) => p.in === location));
  const full = ordered.slice(0, FULL_PARAMETERS);
  const groups = (["path", "query", "header", "cookie"] as const)
    .map((location) => ({ location, params: full.filter((p) => p.in === location) }))
    .filter((g) => g.params.length > 0);
  const rest = ordered.slice(FULL_PARAMETERS);
  const description = op.description && op.description !== op.summary ? op.description : undefined;
  budget.spend(3_000 + textCost(op.path) + textCost(op.title) + markdownCost(description));
  // The sections are built here, in the page's order, before anything renders: Preact renders a
  // component only after its parent returns, so the parts that spend are called as functions.
  // Each section gets a share of what's left when it starts, so the responses always get some.
  const parameterBudget = budget.share(op.requestBody || op.responses.length ? 0.3 : 1);
  const parameterTables = groups.map((g) => (
    <Fragment key={g.location}>{parameterTable({ caption: LOCATION_LABEL[g.location], params: g.params, budget: parameterBudget, specHref })}</Fragment>
  ));
  const compactTable = rest.length > 0 ? compactParameters({ params: rest, budget: parameterBudget, specHref }) : null;
  const bodyBudget = budget.share(op.responses.length ? 0.5 : 1);
  const bodyDescription = op.requestBody?.description ? describe(op.requestBody.description, bodyBudget) : null;
  const body = op.requestBody ? mediaContent({ content: op.requestBody.content, level: h + 2, direction: "request", budget: bodyBudget, specHref }) : null;
  const responses = responseList({ slug: op.slug, responses: op.responses, level: h + 2, budget, specHref });
  return (
    <article id={op.slug} className={`min-w-0 ${MARKDOWN_SCOPE} ${SCHEMA_SCOPE}`}>
      <header>
        <p className="flex flex-wrap items-center gap-2">
          {webhook && (
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-semibold text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">Webhook</span>
          )}{" "}
          <MethodBadge method={op.method} />{" "}
          <code className="font-mono text-sm break-all text-zinc-800 dark:text-zinc-200">
            <PathTemplate path={op.path} />
          </code>{" "}
          {op.deprecated && (
            <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-300">Deprecated</span>
          )}
        </p>
        <Heading level={h} className="mt-3 text-3xl font-bold tracking-tight break-words text-zinc-900 dark:text-white">
          {op.title}
        </Heading>
        <Auth operation={op} />
        {servers.length > 0 && !webhook && (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Base URL{servers.length > 1 ? "s" : ""}:{" "}
            {servers.slice(0, MAX_LISTED).map((s, i) => (
              <span key={s.url}>
                {i > 0 && ", "}
                <code className="font-mono break-all text-zinc-800 dark:text-zinc-200">{s.url.slice(0, 500)}</code>
              </span>
            ))}
            {servers.length > MAX_LISTED && ` and ${count(servers.length - MAX_LISTED)} more`}
          </p>
        )}
        {actions}
      </header>

      {description && (
        <div className="mt-4">
          <SafeMarkdown>{description}</SafeMarkdown>
        </div>
      )}
      {op.externalDocs && <ExternalDocs {...op.externalDocs} />}

      {groups.length > 0 && (
        <section id={sectionId(op.slug, "parameters")} className="mt-8">
          <Heading level={h + 1} className="text-xl font-semibold text-zinc-900 dark:text-white">
            Parameters
          </Heading>
          {parameterTables}
          {compactTable}
        </section>
      )}

      {op.requestBody && (
        <section id={sectionId(op.slug, "request-body")} className="mt-8">
          <Heading level={h + 1} className="text-xl font-semibold text-zinc-900 dark:text-white">
            {webhook ? "Payload" : "Request body"}
            {op.requestBody.required && <span className="ml-2 align-middle text-xs font-medium text-red-700 dark:text-red-400">required</span>}
          </Heading>
          {bodyDescription && <div className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{bodyDescription}</div>}
          {body}
        </section>
      )}

      {op.responses.length > 0 && (
        <section id={sectionId(op.slug, "responses")} className="mt-8">
          <Heading level={h + 1} className="text-xl font-semibold text-zinc-900 dark:text-white">
            {webhook ? "Expected responses" : "Responses"}
          </Heading>
          {responses}
        </section>
      )}
    </article>
  );
}

function PathTemplate({ path }: { path: string }) {
  return <>{pathParts(path)}</>;
}

function pathParts(path: string) {
  return path.split(/(\{[^}]+\})/).map((part, i) =>
    part.startsWith("{") ? (
      <span key={i} className="font-semibold text-brand-700 dark:text-brand-500">
        {part}
      </span>
    ) : (
      part
    ),
  );
}

function Auth({ operation: op }: { operation: Operation }) {
  if (op.kind === "webhook") return null;
  if (op.security.length === 0 || op.security.some((req) => req.length === 0)) {
    return (
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{op.security.length === 0 ? "No authentication required." : "Authentication optional."}</p>
    );
  }
  return (
    <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
      <span className="font-medium">Authentication:</span>{" "}
      {op.security.slice(0, MAX_LISTED).map((req, i) => (
        <span key={i}>
          {i > 0 && " or "}
          {req
            .slice(0, MAX_LISTED)
            .map((s) => s.label + (s.scopes.length ? ` (scopes: ${listed(s.scopes)})` : ""))
            .join(" + ")}
        </span>
      ))}
      {op.security.length > MAX_LISTED && ` or ${plural(op.security.length - MAX_LISTED, "other way")}`}
      {op.apiKeyRequired && " "}
      {op.apiKeyRequired && (
        <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap text-brand-700 dark:bg-zinc-800 dark:text-zinc-100">
          API key required
        </span>
      )}
    </p>
  );
}

function ExternalDocs({ url, description }: { url: string; description?: string }) {
  // Only web links: a spec is untrusted and `javascript:` must never become an href.
  if (!/^https?:\/\//i.test(url)) return null;
  return (
    <p className="mt-2 text-sm">
      <a
        href={url}
        rel="nofollow ugc noopener noreferrer"
        className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500"
      >
        {description ?? "More documentation"}
      </a>
    </p>
  );
}

function listed(names: string[]): string {
  return names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(", ")} and ${count(names.length - MAX_LISTED)} more` : names.join(", ");
}

/** A description as Markdown while the budget lasts, then as one plain line. */
function describe(text: string, budget: PageBudget) {
  if (budget.take(markdownCost(text))) return <SafeMarkdown compact>{text}</SafeMarkdown>;
  const line = oneLine(text, COMPACT_DESCRIPTION);
  budget.spend(textCost(line) + 20);
  return <p>{line}</p>;
}

function oneLine(text: string, max: number): string {
  const flat = text
    .slice(0, max * 4)
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function parameterCost(p: Parameter | Header): number {
  return PARAMETER_ROW_CHARS + textCost(p.name) + markdownCost(p.description) + (p.schema ? typeLabel(p.schema).length + 600 : 0) + (p.example ? 260 : 0);
}

// The functions below that take a budget are called, not rendered as components (see OperationView).

function parameterTable({
  caption,
  params: all,
  budget,
  specHref,
}: {
  caption: string;
  params: (Parameter | Header)[];
  budget: PageBudget;
  specHref?: string;
}) {
  let shown = 0;
  while (shown < all.length && budget.take(parameterCost(all[shown] as Parameter | Header))) shown++;
  if (shown === 0) return <OmittedNote count={all.length} what={caption.toLowerCase().replace(/s$/, "")} href={specHref} />;
  // Nested schemas spend too, row by row, in order.
  const schemas = all
    .slice(0, shown)
    .map((p) =>
      p.schema && (p.schema.properties.length > 0 || p.schema.oneOf || p.schema.anyOf)
        ? SchemaView({ schema: p.schema, direction: "request", maxDepth: 3, maxRows: 60, styled: false, budget, moreHref: specHref })
        : null,
    );
  const params = all.slice(0, shown);
  return (
    <>
      <table className="mt-4 w-full table-fixed border-collapse text-left text-sm">
        <caption className="mb-1 text-left text-sm font-semibold text-zinc-800 dark:text-zinc-200">{caption}</caption>
        <thead>
          <tr className="border-b border-zinc-300 dark:border-zinc-700">
            <th scope="col" className="w-1/3 py-2 pr-3 font-semibold">
              Name
            </th>
            <th scope="col" className="w-1/4 py-2 pr-3 font-semibold">
              Type
            </th>
            <th scope="col" className="py-2 font-semibold">
              Description
            </th>
          </tr>
        </thead>
        <tbody>
          {params.map((p, i) => (
            <tr key={p.name} className="border-b border-zinc-200 align-top dark:border-zinc-800">
              <th scope="row" className="py-2 pr-3 font-normal">
                <code className="font-mono font-semibold break-all text-zinc-900 dark:text-zinc-100">{p.name}</code>
                {p.required && <span className="block text-xs font-medium text-red-700 dark:text-red-400"> required</span>}
                {p.deprecated && <span className="block text-xs font-medium text-amber-800 dark:text-amber-400"> deprecated</span>}
              </th>
              <td className="py-2 pr-3 font-mono text-xs break-words text-zinc-600 dark:text-zinc-400">{p.schema ? typeLabel(p.schema) : "string"}</td>
              <td className="py-2 break-words text-zinc-700 dark:text-zinc-300">
                {p.description && <SafeMarkdown compact>{p.description}</SafeMarkdown>}
                {p.schema && <Facts schema={p.schema} />}
                {p.example && !p.example.generated && p.schema?.example === undefined && (
                  <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                    Example: <code className="font-mono break-all">{p.example.text.length > 200 ? `${p.example.text.slice(0, 200)}…` : p.example.text}</code>
                  </p>
                )}
                {schemas[i] && (
                  <details className="mt-1">
                    <summary className="focus-ring w-fit cursor-pointer rounded text-xs font-medium text-brand-700 dark:text-brand-500">Schema</summary>
                    {schemas[i]}
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown < all.length && <OmittedNote count={all.length - shown} what={caption.toLowerCase().replace(/s$/, "")} href={specHref} />}
    </>
  );
}

/** Parameters past the first FULL_PARAMETERS: one line each (name, where, type, required), while the budget lasts. */
function compactParameters({ params: all, budget, specHref }: { params: Parameter[]; budget: PageBudget; specHref?: string }) {
  let shown = 0;
  while (shown < all.length && budget.take(COMPACT_ROW_CHARS + textCost((all[shown] as Parameter).name))) shown++;
  const params = all.slice(0, shown);
  return (
    <>
      {shown > 0 && (
        <table className="mt-4 w-full table-fixed border-collapse text-left text-sm">
          <caption className="mb-1 text-left text-sm font-semibold text-zinc-800 dark:text-zinc-200">{plural(all.length, "more parameter")}, in short</caption>
          <thead>
            <tr className="border-b border-zinc-300 dark:border-zinc-700">
              <th scope="col" className="w-1/2 py-2 pr-3 font-semibold">
                Name
              </th>
              <th scope="col" className="w-1/6 py-2 pr-3 font-semibold">
                In
              </th>
              <th scope="col" className="py-2 font-semibold">
                Type
              </th>
            </tr>
          </thead>
          {/* Row styles once on the body: these tables can run to thousands of rows. */}
          <tbody className="[&_td]:py-1 [&_td]:pr-3 [&_td]:font-mono [&_td]:text-xs [&_td]:text-zinc-600 dark:[&_td]:text-zinc-400 [&_th]:py-1 [&_th]:pr-3 [&_th]:font-normal [&_tr]:border-b [&_tr]:border-zinc-200 dark:[&_tr]:border-zinc-800">
            {params.map((p) => (
              <tr key={`${p.in}:${p.name}`}>
                <th scope="row">
                  <code className="font-mono font-semibold break-all">{p.name}</code>
                  {p.required && <span className="sv-req"> required</span>}
                </th>
                <td>{p.in}</td>
                <td className="break-words">{p.schema ? typeLabel(p.schema) : "string"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown < all.length && <OmittedNote count={all.length - shown} what="parameter" href={specHref} />}
    </>
  );
}

/** The responses: the first ones in full while the budget lasts, the rest by status and description. */
function responseList({
  slug,
  responses,
  level,
  budget,
  specHref,
}: {
  slug: string;
  responses: Response[];
  level: number;
  budget: PageBudget;
  specHref?: string;
}) {
  // In full while there is room for more than a frame; each may use half of what's left, so a
  // huge first response leaves room for the next ones.
  const views = [];
  // Kubernetes answers 200, 201 and 202 with the same Pod: its fields are listed once.
  const listed: Listed = new Map();
  let full = 0;
  while (full < Math.min(responses.length, FULL_RESPONSES) && budget.left > 4 * FRAME_CHARS) {
    const response = responses[full] as Response;
    // The last response may use all that's left (none come after it, in full or listed).
    const share = full + 1 < responses.length ? 0.5 : 1;
    views.push(<Fragment key={response.status}>{responseView({ slug, response, level, budget: budget.share(share), specHref, listed })}</Fragment>);
    full++;
  }
  const rest = responses.slice(full);
  return (
    <>
      {views}
      {rest.length > 0 && compactResponses({ slug, responses: rest, level, budget, specHref, afterFirst: full === FULL_RESPONSES })}
    </>
  );
}

function responseId(slug: string, status: string): string {
  return sectionId(slug, `response-${status.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`);
}

function statusTone(status: string): string {
  return status.startsWith("2")
    ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300"
    : status.startsWith("4") || status.startsWith("5")
      ? "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300"
      : "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";
}

function responseView({
  slug,
  response,
  level,
  budget,
  specHref,
  listed,
}: {
  slug: string;
  response: Response;
  level: number;
  budget: PageBudget;
  specHref?: string;
  listed: Listed;
}) {
  const reason = REASON[response.status];
  budget.spend(FRAME_CHARS + textCost(response.status));
  const description = response.description ? describe(response.description, budget) : null;
  const headers = response.headers.length > 0 ? parameterTable({ caption: "Response headers", params: response.headers, budget, specHref }) : null;
  const where = { label: response.status, href: `#${responseId(slug, response.status)}`, listed };
  const content = mediaContent({ content: response.content, level: level + 1, direction: "response", budget, specHref, where });
  return (
    <div id={responseId(slug, response.status)} className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      <Heading level={level} className="flex flex-wrap items-baseline gap-2 text-base font-semibold text-zinc-900 dark:text-white">
        <span className={`rounded px-1.5 py-0.5 font-mono text-sm ${statusTone(response.status)}`}>{response.status}</span>
        {reason && <span> {reason}</span>}
      </Heading>
      {description && <div className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{description}</div>}
      {headers}
      {content}
    </div>
  );
}

/** Responses past the budget: status, reason and a line of description each, while the budget lasts. */
function compactResponses({
  slug,
  responses,
  level,
  budget,
  specHref,
  afterFirst,
}: {
  slug: string;
  responses: Response[];
  level: number;
  budget: PageBudget;
  specHref?: string;
  /** Listed because they come after the first FULL_RESPONSES (not because the budget ran out). */
  afterFirst: boolean;
}) {
  const lines = responses.map((r) => (r.description ? oneLine(r.description, COMPACT_DESCRIPTION) : ""));
  let shown = 0;
  while (shown < responses.length && budget.take(COMPACT_ROW_CHARS + textCost((responses[shown] as Response).status) + textCost(lines[shown]))) shown++;
  budget.spend(FRAME_CHARS);
  return (
    <div className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      <Heading level={level} className="text-base font-semibold text-zinc-900 dark:text-white">
        {plural(responses.length, "more response")}
      </Heading>
      <p className="sv-note">
        Listed without their schemas and examples:{" "}
        {afterFirst ? `only the first ${FULL_RESPONSES} responses are shown in full` : "this page is at its size limit"}.
      </p>
      {shown > 0 && (
        <ul className="mt-2 space-y-1 text-sm text-zinc-700 dark:text-zinc-300">
          {responses.slice(0, shown).map((r, i) => (
            <li key={r.status} id={responseId(slug, r.status)}>
              <span className={`rounded px-1.5 py-0.5 font-mono text-xs font-semibold ${statusTone(r.status)}`}>{r.status}</span>
              {REASON[r.status] && ` ${REASON[r.status]}`}
              {lines[i] && ` — ${lines[i]}`}
            </li>
          ))}
        </ul>
      )}
      {shown < responses.length && <OmittedNote count={responses.length - shown} what="response" href={specHref} />}
    </div>
  );
}

/** A body's or response's media types: one schema list per distinct schema, headed by all its types. */
function mediaContent({
  content,
  level,
  direction,
  budget,
  specHref,
  where,
}: {
  content: MediaType[];
  level: number;
  direction: "request" | "response";
  budget: PageBudget;
  specHref?: string;
  /** A response's: which one this is, and the schemas listed in the responses before it. */
  where?: { label: string; href: string; listed: Listed };
}) {
  if (content.length === 0) return null;
  const groups = groupMedia(content);
  const views = [];
  const shown = new Set<string>();
  for (const group of groups.slice(0, FULL_MEDIA_GROUPS)) {
    if (!budget.take(FRAME_CHARS + headingCost(group))) break;
    let sameAs: { label: string; href: string } | undefined;
    if (where && group.schema) {
      const shape = fingerprint(group.schema);
      sameAs = where.listed.get(group.schema) ?? (shape === null ? undefined : where.listed.get(shape));
      if (!sameAs) {
        where.listed.set(group.schema, where);
        if (shape !== null) where.listed.set(shape, where);
      }
    }
    views.push(<Fragment key={group.contentTypes[0]}>{mediaGroupView({ group, level, direction, budget, specHref, sameAs })}</Fragment>);
    for (const type of group.contentTypes) shown.add(type);
  }
  const hidden = content.filter((m) => !shown.has(m.contentType)).map((m) => m.contentType);
  return (
    <>
      {views}
      {hidden.length > 0 && (
        <p className="sv-note mt-4 italic">
          {plural(hidden.length, "more media type")} with other schemas not shown here: {listed(hidden)}. The spec has their schemas.
        </p>
      )}
    </>
  );
}

function headingCost(group: MediaGroup): number {
  const named = group.contentTypes.slice(0, MAX_LISTED_TYPES);
  return named.reduce((n, t) => n + textCost(t) + 2, 0) + 200;
}

function mediaGroupView({
  group,
  level,
  direction,
  budget,
  specHref,
  sameAs,
}: {
  group: MediaGroup;
  level: number;
  direction: "request" | "response";
  budget: PageBudget;
  specHref?: string;
  /** The response above that already lists this schema. */
  sameAs?: { label: string; href: string };
}) {
  const types = group.contentTypes;
  const several = types.length > 1;
  const examples: MediaGroup["examples"] = [];
  for (const entry of group.examples.slice(0, MAX_EXAMPLES)) {
    // Examples come after the schema on the page, but their room is set aside first: a schema can't crowd them all out.
    if (!budget.take(EXAMPLE_CHARS + textCost(entry.example.text) + (several ? headingCost({ ...group, contentTypes: entry.contentTypes }) : 0))) break;
    examples.push(entry);
  }
  const moreExamples = group.examples.length - examples.length;
  const schema = !group.schema ? null : sameAs ? (
    <p className="sv-note">
      {typeLabel(group.schema)}: the same schema as the{" "}
      <a href={sameAs.href} className="focus-ring rounded font-medium text-brand-700 underline underline-offset-2 dark:text-brand-500">
        {sameAs.label} response
      </a>{" "}
      above.
    </p>
  ) : (
    SchemaView({ schema: group.schema, direction, styled: false, budget, moreHref: specHref })
  );
  return (
    <div className="mt-4">
      <Heading level={level} className="font-mono text-sm font-semibold break-words text-zinc-800 dark:text-zinc-200">
        {types.slice(0, HEADING_TYPES).join(", ")}
        {types.length > HEADING_TYPES && ", …"}
        {several && <span className="font-sans font-normal text-zinc-600 dark:text-zinc-400"> ({plural(types.length, "media type")})</span>}
      </Heading>
      {types.length > HEADING_TYPES && (
        <p className="sv-note break-words">
          Same schema for {types.slice(HEADING_TYPES, MAX_LISTED_TYPES).join(", ")}
          {types.length > MAX_LISTED_TYPES && ` and ${count(types.length - MAX_LISTED_TYPES)} more`}.
        </p>
      )}
      {schema && <div className="mt-2">{schema}</div>}
      {examples.map(({ example, contentTypes }, i) => (
        <ExampleBlock key={i} example={example} contentTypes={several ? contentTypes : undefined} total={types.length} />
      ))}
      {moreExamples > 0 && (
        <p className="sv-note italic">
          {plural(moreExamples, "more example")} not shown{several ? " (the other media types’ own)" : ""}
          {examples.length < Math.min(MAX_EXAMPLES, group.examples.length) ? ": this page is at its size limit." : "."}
        </p>
      )}
    </div>
  );
}

function ExampleBlock({ example, contentTypes, total }: { example: Example; contentTypes?: string[]; total: number }) {
  const label = example.summary ?? example.name;
  // In a group of media types, say whose example it is unless it is all of theirs.
  const whose = contentTypes && contentTypes.length < total ? ` (${listed(contentTypes)})` : "";
  return (
    <figure className="mt-3">
      <figcaption className="text-xs font-medium break-words text-zinc-600 dark:text-zinc-400">
        Example{label ? `: ${label}` : ""}
        {whose}
        {example.generated && " (generated from the schema)"}
        {example.truncated && " (shortened)"}
      </figcaption>
      {/* Focusable so keyboard users can scroll long lines. */}
      <pre
        tabIndex={0}
        className="focus-ring mt-1 max-h-96 overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-3 text-xs leading-5 text-zinc-800 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <code>{example.text}</code>
      </pre>
    </figure>
  );
}
