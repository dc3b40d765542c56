/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
import { markdownCost, type PageBudget, plural, textCost } from "@/lib/openapi/budget";
import { typeLabel } from "@/lib/openapi/labels";
import type { Schema, SchemaProperty } from "@/lib/openapi/types";
import { MARKDOWN_SCOPE, SafeMarkdown } from "./safe-markdown";

const MAX_ENUM = 20;
const MAX_VALUE_CHARS = 80;
/** A field's description costs one extra row per this many characters against `maxRows`. */
const CHARS_PER_ROW = 500;
/** Estimated HTML of one field's line (li, name, type, flags) and of a nested level's wrapper. */
const ROW_CHARS = 220;
const NEST_CHARS = 260;
/** Discriminator mappings and allOf names listed before "… and N more". */
const MAX_LISTED = 20;

/**
 * Field styles, declared once on a container (SchemaView's root, or OperationView's) instead of on
 * every field: they were two thirds of a big operation page's HTML.
 */
export const SCHEMA_SCOPE = [
  "[&_.sv-field]:py-2",
  "[&_.sv-head]:flex [&_.sv-head]:flex-wrap [&_.sv-head]:items-baseline [&_.sv-head]:gap-x-2",
  "[&_.sv-name]:font-mono [&_.sv-name]:font-semibold [&_.sv-name]:break-all [&_.sv-name]:text-zinc-900 dark:[&_.sv-name]:text-zinc-100",
  "[&_.sv-type]:font-mono [&_.sv-type]:text-xs [&_.sv-type]:text-zinc-600 dark:[&_.sv-type]:text-zinc-400",
  "[&_.sv-req]:text-xs [&_.sv-req]:font-medium [&_.sv-req]:text-red-700 dark:[&_.sv-req]:text-red-400",
  "[&_.sv-warn]:text-xs [&_.sv-warn]:font-medium [&_.sv-warn]:text-amber-800 dark:[&_.sv-warn]:text-amber-400",
  "[&_.sv-note]:mt-1 [&_.sv-note]:text-xs [&_.sv-note]:text-zinc-600 dark:[&_.sv-note]:text-zinc-400",
  "[&_.sv-value]:rounded [&_.sv-value]:bg-zinc-100 [&_.sv-value]:px-1 [&_.sv-value]:font-mono [&_.sv-value]:text-zinc-800 dark:[&_.sv-value]:bg-zinc-800 dark:[&_.sv-value]:text-zinc-200",
  "[&_.sv-nest]:mt-1 [&_.sv-nest]:ml-1 [&_.sv-nest]:border-l [&_.sv-nest]:border-zinc-200 [&_.sv-nest]:pl-3 dark:[&_.sv-nest]:border-zinc-800",
  "[&_.sv-toggle]:w-fit [&_.sv-toggle]:cursor-pointer [&_.sv-toggle]:rounded [&_.sv-toggle]:text-xs [&_.sv-toggle]:font-medium [&_.sv-toggle]:text-brand-700 dark:[&_.sv-toggle]:text-brand-500",
].join(" ");

interface RenderContext {
  direction: "request" | "response";
  maxDepth: number;
  maxRows: number;
  rows: number;
  omitted: number;
  /** The page's budget: fields past it are counted in `omitted`, not rendered. */
  budget?: PageBudget;
  /** Set once a field didn't fit: the later ones are left out too, so the list has no holes. */
  stopped: boolean;
  /** Why fields were left out: this view's own bound, or the page's budget. */
  cause?: "rows" | "budget";
}

/**
 * A schema as a nested field list. Nested objects sit in <details> (they open without JS); a
 * schema that contains itself shows "circular reference: Name" instead of recursing; past
 * `maxDepth` levels or `maxRows` fields the rest is left out, with a note, so one response can't
 * make a page huge. With a `budget` (lib/openapi/budget.ts), every field also spends from the
 * page's one output budget, and what doesn't fit is summarised the same way. Fields that don't
 * travel in this direction (readOnly in requests, writeOnly in responses) are hidden.
 */
export function SchemaView({
  schema,
  direction = "response",
  maxDepth = 5,
  maxRows = 250,
  styled = true,
  budget,
  moreHref,
}: {
  schema: Schema;
  direction?: "request" | "response";
  maxDepth?: number;
  maxRows?: number;
  /** False when a container already carries SCHEMA_SCOPE and MARKDOWN_SCOPE (OperationView does). */
  styled?: boolean;
  /** The page's output budget, shared with everything else on the page. */
  budget?: PageBudget;
  /** Where the complete definition is (the spec's download), for the note when fields are left out. */
  moreHref?: string;
}) {
  const ctx: RenderContext = { direction, maxDepth, maxRows, rows: 0, omitted: 0, budget, stopped: false };
  const description = schema.description && (!budget || budget.take(markdownCost(schema.description))) ? schema.description : undefined;
  budget?.spend(ROW_CHARS + factsCost(schema));
  const children = renderChildren(schema, ctx, 0, [schema]);
  return (
    <div className={styled ? `text-sm ${SCHEMA_SCOPE} ${MARKDOWN_SCOPE}` : "text-sm"}>
      <p className="sv-head">
        <span className="sv-type">{typeLabel(schema)}</span> {schema.mergedFrom && <span className="sv-type">(includes {listed(schema.mergedFrom)})</span>}
      </p>
      {description && <SafeMarkdown compact>{description}</SafeMarkdown>}
      <Facts schema={schema} />
      {children}
      {ctx.omitted > 0 && (
        <OmittedNote count={ctx.omitted} what="field" href={moreHref} why={ctx.cause === "budget" ? undefined : "this schema is too large to list in full"} />
      )}
    </div>
  );
}

/** "312 more fields are not shown: this page is at its size limit. Download the spec for the complete definition." */
export function OmittedNote({ count, what, href, why = "this page is at its size limit" }: { count: number; what: string; href?: string; why?: string }) {
  return (
    <p className="sv-note italic">
      {plural(count, `more ${what}`, `more ${what}s`)} {count === 1 ? "is" : "are"} not shown: {why}.{" "}
      {href ? (
        <a href={href} className="focus-ring rounded font-medium text-brand-700 underline underline-offset-2 dark:text-brand-500">
          Download the spec
        </a>
      ) : (
        "Download the spec"
      )}{" "}
      for the complete definition.
    </p>
  );
}

function listed(names: string[]): string {
  return names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(", ")} and ${names.length - MAX_LISTED} more` : names.join(", ");
}

/** Estimated HTML of a schema's Facts line (enum values, default, constraints…). */
function factsCost(schema: Schema): number {
  const values = schema.enum ?? schema.items?.enum;
  let cost = 0;
  if (values?.length) cost += 40 + Math.min(values.length, MAX_ENUM) * (MAX_VALUE_CHARS + 40);
  if (schema.const !== undefined || schema.default !== undefined || schema.example !== undefined) cost += 3 * (MAX_VALUE_CHARS + 80);
  for (const c of [...schema.constraints, ...(schema.items?.constraints ?? [])]) cost += textCost(c) + 10;
  return cost ? cost + 40 : 0;
}

function visible(prop: SchemaProperty, ctx: RenderContext): boolean {
  return !(ctx.direction === "request" ? prop.schema.readOnly : prop.schema.writeOnly);
}

/** Whether a schema has anything to show below its own line (checked two levels deep at most). */
function hasChildren(schema: Schema, level = 0): boolean {
  if (schema.properties.length || schema.oneOf || schema.anyOf || schema.allOf || schema.not) return true;
  if (level > 1) return false;
  if (schema.items) return hasChildren(schema.items, level + 1);
  if (schema.additionalProperties && schema.additionalProperties !== true) return hasChildren(schema.additionalProperties, level + 1);
  return false;
}

/** The schema whose fields are listed below `schema`: arrays and maps show their element's. */
function inner(schema: Schema): Schema {
  if (schema.properties.length || schema.oneOf || schema.anyOf || schema.allOf) return schema;
  if (schema.items) return schema.items;
  if (schema.additionalProperties && schema.additionalProperties !== true) return schema.additionalProperties;
  return schema;
}

function renderChildren(schema: Schema, ctx: RenderContext, depth: number, ancestors: Schema[], labelled = true): ComponentChildren {
  const target = inner(schema);
  if (target !== schema) {
    // Unlabelled: the caller's <summary> already names the items and put them in `ancestors`.
    if (!labelled) return renderChildren(target, ctx, depth, ancestors);
    if (ancestors.includes(target)) return <Circular schema={target} />;
    if (!hasChildren(target)) return null;
    return (
      <div className="mt-1">
        <p className="sv-note">{schema.items ? "Each item" : "Each value"}:</p>
        {renderChildren(target, ctx, depth, [...ancestors, target])}
      </div>
    );
  }
  const props = schema.properties.filter((p) => visible(p, ctx));
  const variants = schema.oneOf ?? schema.anyOf;
  return (
    <>
      {props.length > 0 && (
        <ul className="mt-1 divide-y divide-zinc-200 dark:divide-zinc-800">{props.map((prop) => renderProperty(prop, ctx, depth, ancestors))}</ul>
      )}
      {schema.allOf && renderVariants("All of", schema.allOf, ctx, depth, ancestors)}
      {variants && (
        <>
          {schema.discriminator && <Discriminator discriminator={schema.discriminator} />}
          {renderVariants(schema.oneOf ? "One of" : "Any of", variants, ctx, depth, ancestors)}
        </>
      )}
      {!variants && schema.discriminator && <Discriminator discriminator={schema.discriminator} />}
      {schema.not && (
        <p className="sv-note">
          Must not be: <span className="font-mono">{typeLabel(schema.not)}</span>
        </p>
      )}
    </>
  );
}

function renderProperty(prop: SchemaProperty, ctx: RenderContext, depth: number, ancestors: Schema[]): ComponentChildren {
  const s = prop.schema;
  if (ctx.stopped || !fits(ctx, rowCost(prop.name, s))) {
    ctx.stopped = true;
    ctx.omitted++;
    return null;
  }
  ctx.rows += 1 + Math.floor((s.description?.length ?? 0) / CHARS_PER_ROW);
  return (
    <li key={prop.name} className="sv-field">
      <p className="sv-head">
        {/* Real spaces between the parts: screen readers and copy-paste don't see flex gaps. */}
        <code className="sv-name">{prop.name}</code> <span className="sv-type">{typeLabel(s)}</span>
        {prop.required && (
          <>
            {" "}
            <span className="sv-req">required</span>
          </>
        )}
        {s.deprecated && (
          <>
            {" "}
            <span className="sv-warn">deprecated</span>
          </>
        )}
        {s.readOnly && (
          <>
            {" "}
            <span className="sv-type">read-only</span>
          </>
        )}
        {s.writeOnly && (
          <>
            {" "}
            <span className="sv-type">write-only</span>
          </>
        )}
      </p>
      {s.description && <SafeMarkdown compact>{s.description}</SafeMarkdown>}
      <Facts schema={s} />
      {renderNested(s, ctx, depth, ancestors)}
    </li>
  );
}

/** Whether one more row fits this view's bound and the page's budget (spending for it); notes why not. */
function fits(ctx: RenderContext, cost: number): boolean {
  if (ctx.rows >= ctx.maxRows) ctx.cause = "rows";
  else if (ctx.budget && !ctx.budget.take(cost)) ctx.cause = "budget";
  else return true;
  return false;
}

/** Estimated HTML of one field: its line, its description and its facts. */
function rowCost(name: string, s: Schema): number {
  return ROW_CHARS + textCost(name) + typeLabel(s).length + markdownCost(s.description) + factsCost(s);
}

function renderNested(s: Schema, ctx: RenderContext, depth: number, ancestors: Schema[]): ComponentChildren {
  const target = inner(s);
  if (ancestors.includes(target)) return <Circular schema={target} />;
  if (!hasChildren(s)) return null;
  if (depth + 1 >= ctx.maxDepth) {
    return <p className="sv-note italic">Nested fields not shown (too deep).</p>;
  }
  ctx.budget?.spend(NEST_CHARS + textCost(target.name));
  const count = target.properties.length;
  const what = count ? `${count} field${count === 1 ? "" : "s"}` : target.oneOf ? "one of" : target.anyOf ? "any of" : "details";
  return (
    <details className="mt-1">
      <summary className="sv-toggle focus-ring">
        {s.items ? "Item " : ""}
        {what}
        {target.name ? ` of ${target.name}` : ""}
      </summary>
      <div className="sv-nest">{renderChildren(s, ctx, depth + 1, [...ancestors, s, target], false)}</div>
    </details>
  );
}

function renderVariants(kind: string, schemas: Schema[], ctx: RenderContext, depth: number, ancestors: Schema[]): ComponentChildren {
  // Variants are fields too for the bounds (a oneOf of 1,000 objects can't list them all): each
  // is counted, then its own fields, in order, so the ones shown are shown whole.
  const items: ComponentChildren[] = [];
  for (const [i, variant] of schemas.entries()) {
    const label = variant.name ?? variant.title ?? typeLabel(variant);
    if (ctx.stopped || !fits(ctx, rowCost(label, variant) + NEST_CHARS)) {
      ctx.stopped = true;
      break;
    }
    ctx.rows++;
    if (ancestors.includes(variant)) {
      items.push(
        <li key={i}>
          <Circular schema={variant} />
        </li>,
      );
    } else if (!hasChildren(variant) || depth + 1 >= ctx.maxDepth) {
      items.push(
        <li key={i} className="text-xs">
          <span className="font-mono">{label}</span>
          {variant.description && <SafeMarkdown compact>{variant.description}</SafeMarkdown>}
          <Facts schema={variant} />
        </li>,
      );
    } else {
      items.push(
        <li key={i}>
          <details>
            <summary className="sv-toggle focus-ring font-mono">{label}</summary>
            <div className="sv-nest">
              {variant.description && <SafeMarkdown compact>{variant.description}</SafeMarkdown>}
              {renderChildren(variant, ctx, depth + 1, [...ancestors, variant])}
            </div>
          </details>
        </li>,
      );
    }
  }
  const shown = items.length;
  const hidden = schemas.length - shown;
  return (
    <div className="mt-2">
      <p className="text-xs font-semibold text-zinc-700 dark:text-zinc-300">{kind}:</p>
      {hidden > 0 && (
        <p className="sv-note italic">
          {shown ? `The first ${shown} of ${schemas.length} alternatives` : `${schemas.length} alternatives, not listed`}:{" "}
          {ctx.cause === "budget" ? "this page is at its size limit" : "this schema is too large to list in full"}.
        </p>
      )}
      <ul className="mt-1 space-y-1">{items}</ul>
    </div>
  );
}

function Discriminator({ discriminator }: { discriminator: NonNullable<Schema["discriminator"]> }) {
  return (
    <p className="mt-2 text-xs text-zinc-700 dark:text-zinc-300">
      Discriminator: <code className="font-mono font-semibold">{discriminator.propertyName}</code>
      {discriminator.mapping.length > 0 && (
        <>
          {" "}
          (
          {discriminator.mapping.slice(0, MAX_LISTED).map((m, i) => (
            <span key={m.value}>
              {i > 0 && ", "}
              <code className="font-mono">{short(m.value)}</code> → {short(m.target)}
            </span>
          ))}
          {discriminator.mapping.length > MAX_LISTED && ` and ${discriminator.mapping.length - MAX_LISTED} more`})
        </>
      )}
    </p>
  );
}

function Circular({ schema }: { schema: Schema }) {
  return (
    <p className="sv-note italic">
      ↻ circular reference: <span className="font-mono not-italic">{schema.name ?? schema.title ?? typeLabel(schema)}</span>
    </p>
  );
}

function short(value: unknown): string {
  const s = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

/** Allowed values, default, example and constraints on one line (array items' too). */
export function Facts({ schema }: { schema: Schema }) {
  const values = schema.enum ?? (schema.items && !hasChildren(schema.items) ? schema.items.enum : undefined);
  const constraints = [...schema.constraints, ...(schema.items && !hasChildren(schema.items) ? schema.items.constraints.map((c) => `items ${c}`) : [])];
  const primitive = !hasChildren(schema) && schema.example !== undefined && (typeof schema.example !== "object" || schema.example === null);
  if (!values?.length && schema.const === undefined && schema.default === undefined && !constraints.length && !primitive) return null;
  return (
    <p className="sv-note">
      {values && values.length > 0 && (
        <span className="mr-3">
          Allowed:{" "}
          {values.slice(0, MAX_ENUM).map((v, i) => (
            <span key={i}>
              {i > 0 && " "}
              <code className="sv-value">{short(v)}</code>
            </span>
          ))}
          {values.length > MAX_ENUM && ` … and ${values.length - MAX_ENUM} more`}
        </span>
      )}
      {schema.const !== undefined && (
        <span className="mr-3">
          Value: <code className="font-mono">{short(schema.const)}</code>
        </span>
      )}
      {schema.default !== undefined && (
        <span className="mr-3">
          Default: <code className="font-mono">{short(schema.default)}</code>
        </span>
      )}
      {primitive && (
        <span className="mr-3">
          Example: <code className="font-mono">{short(schema.example)}</code>
        </span>
      )}
      {constraints.length > 0 && <span>{constraints.join(" · ")}</span>}
    </p>
  );
}
