/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
// Not the index: these components must not pull the spec parser into any bundle they end up in.
import { typeLabel } from "@/lib/openapi/labels";
import type { Example, Header, MediaType, Operation, Parameter, ParameterLocation, Response, Server } from "@/lib/openapi/types";
import { MethodBadge } from "./method-badge";
import { MARKDOWN_SCOPE, SafeMarkdown } from "./safe-markdown";
import { Facts, SCHEMA_SCOPE, SchemaView } from "./schema-view";

type Level = 1 | 2 | 3;

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
}: {
  operation: Operation;
  headingLevel?: Level;
  servers?: Server[];
  /** Shown at the end of the header (the page's actions, components/docs/page-actions.tsx). */
  actions?: ComponentChildren;
}) {
  const h = headingLevel;
  const webhook = op.kind === "webhook";
  const groups = (["path", "query", "header", "cookie"] as const)
    .map((location) => ({ location, params: op.parameters.filter((p) => p.in === location) }))
    .filter((g) => g.params.length > 0);
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
            {servers.map((s, i) => (
              <span key={s.url}>
                {i > 0 && ", "}
                <code className="font-mono break-all text-zinc-800 dark:text-zinc-200">{s.url}</code>
              </span>
            ))}
          </p>
        )}
        {actions}
      </header>

      {op.description && op.description !== op.summary && (
        <div className="mt-4">
          <SafeMarkdown>{op.description}</SafeMarkdown>
        </div>
      )}
      {op.externalDocs && <ExternalDocs {...op.externalDocs} />}

      {groups.length > 0 && (
        <section id={sectionId(op.slug, "parameters")} className="mt-8">
          <Heading level={h + 1} className="text-xl font-semibold text-zinc-900 dark:text-white">
            Parameters
          </Heading>
          {groups.map((g) => (
            <ParameterTable key={g.location} caption={LOCATION_LABEL[g.location]} params={g.params} />
          ))}
        </section>
      )}

      {op.requestBody && (
        <section id={sectionId(op.slug, "request-body")} className="mt-8">
          <Heading level={h + 1} className="text-xl font-semibold text-zinc-900 dark:text-white">
            {webhook ? "Payload" : "Request body"}
            {op.requestBody.required && <span className="ml-2 align-middle text-xs font-medium text-red-700 dark:text-red-400">required</span>}
          </Heading>
          {op.requestBody.description && (
            <div className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
              <SafeMarkdown compact>{op.requestBody.description}</SafeMarkdown>
            </div>
          )}
          {op.requestBody.content.map((media) => (
            <Media key={media.contentType} media={media} level={h + 2} direction="request" />
          ))}
        </section>
      )}

      {op.responses.length > 0 && (
        <section id={sectionId(op.slug, "responses")} className="mt-8">
          <Heading level={h + 1} className="text-xl font-semibold text-zinc-900 dark:text-white">
            {webhook ? "Expected responses" : "Responses"}
          </Heading>
          {op.responses.map((response) => (
            <ResponseView key={response.status} slug={op.slug} response={response} level={h + 2} />
          ))}
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
      {op.security.map((req, i) => (
        <span key={i}>
          {i > 0 && " or "}
          {req.map((s) => s.label + (s.scopes.length ? ` (scopes: ${s.scopes.join(", ")})` : "")).join(" + ")}
        </span>
      ))}
      {op.apiKeyRequired && " "}
      {op.apiKeyRequired && (
        <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs font-semibold text-brand-700 dark:bg-zinc-800 dark:text-zinc-100">
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

function ParameterTable({ caption, params }: { caption: string; params: (Parameter | Header)[] }) {
  return (
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
        {params.map((p) => (
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
              {p.schema && (p.schema.properties.length > 0 || p.schema.oneOf || p.schema.anyOf) && (
                <details className="mt-1">
                  <summary className="focus-ring w-fit cursor-pointer rounded text-xs font-medium text-brand-700 dark:text-brand-500">Schema</summary>
                  <SchemaView schema={p.schema} direction="request" maxDepth={3} maxRows={60} styled={false} />
                </details>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ResponseView({ slug, response, level }: { slug: string; response: Response; level: number }) {
  const tone = response.status.startsWith("2")
    ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300"
    : response.status.startsWith("4") || response.status.startsWith("5")
      ? "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300"
      : "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";
  const reason = REASON[response.status];
  return (
    <div
      id={sectionId(slug, `response-${response.status.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`)}
      className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800"
    >
      <Heading level={level} className="flex flex-wrap items-baseline gap-2 text-base font-semibold text-zinc-900 dark:text-white">
        <span className={`rounded px-1.5 py-0.5 font-mono text-sm ${tone}`}>{response.status}</span>
        {reason && <span> {reason}</span>}
      </Heading>
      {response.description && (
        <div className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
          <SafeMarkdown compact>{response.description}</SafeMarkdown>
        </div>
      )}
      {response.headers.length > 0 && <ParameterTable caption="Response headers" params={response.headers} />}
      {response.content.map((media) => (
        <Media key={media.contentType} media={media} level={level + 1} direction="response" />
      ))}
    </div>
  );
}

function Media({ media, level, direction }: { media: MediaType; level: number; direction: "request" | "response" }) {
  return (
    <div className="mt-4">
      <Heading level={level} className="font-mono text-sm font-semibold text-zinc-800 dark:text-zinc-200">
        {media.contentType}
      </Heading>
      {media.schema && (
        <div className="mt-2">
          <SchemaView schema={media.schema} direction={direction} styled={false} />
        </div>
      )}
      {media.examples.map((example, i) => (
        <ExampleBlock key={example.name ?? i} example={example} />
      ))}
    </div>
  );
}

function ExampleBlock({ example }: { example: Example }) {
  const label = example.summary ?? example.name;
  return (
    <figure className="mt-3">
      <figcaption className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Example{label ? `: ${label}` : ""}
        {example.generated && " (generated from the schema)"}
        {example.truncated && " (shortened)"}
      </figcaption>
      {/* Focusable so keyboard users can scroll long lines. */}
      <pre tabIndex={0} className="focus-ring mt-1 max-h-96 overflow-auto rounded-lg bg-zinc-900 p-3 text-xs leading-5 text-zinc-100 dark:bg-zinc-900">
        <code>{example.text}</code>
      </pre>
    </figure>
  );
}
