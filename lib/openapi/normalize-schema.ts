import type { Json } from "./parse-text";
import type { Schema, SchemaProperty } from "./types";

/** Longer descriptions are cut: they end up in every page that shows the schema. */
const MAX_DESCRIPTION = 20_000;

/** A `$ref` left after dereferencing: it points outside the file (not fetched, by design). */
export class UnresolvedRefError extends Error {
  constructor(readonly ref: string) {
    super(`$ref "${ref}" points outside this file; external references are not supported (bundle the spec into one file)`);
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function text(value: unknown, max = MAX_DESCRIPTION): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
}

/**
 * Turns dereferenced JSON Schema objects into the portal's `Schema` graph. Memoised by object
 * identity, so shared components stay shared and recursive schemas become cycles (not infinite
 * trees). allOf parts are merged into one property list when they are plain objects.
 */
export class SchemaNormalizer {
  private readonly memo = new WeakMap<object, Schema>();
  /** Nodes whose properties (and merged allOf) are final, though later fields may still be filling. */
  private readonly propertiesDone = new WeakSet<Schema>();

  constructor(private readonly names: WeakMap<object, string>) {}

  normalize(raw: unknown): Schema | undefined {
    if (raw === true) return { types: [], constraints: [], properties: [] };
    if (!isObject(raw)) return undefined;
    const cached = this.memo.get(raw);
    if (cached) return cached;
    if (typeof raw.$ref === "string") throw new UnresolvedRefError(raw.$ref);
    const node: Schema = { types: [], constraints: [], properties: [] };
    this.memo.set(raw, node);
    this.fill(node, raw);
    return node;
  }

  private fill(node: Schema, raw: Json): void {
    const name = this.names.get(raw);
    if (name) node.name = name;
    const title = text(raw.title, 200);
    if (title) node.title = title;
    const description = text(raw.description);
    if (description) node.description = description;
    node.types = typesOf(raw);
    if (typeof raw.format === "string") node.format = raw.format.slice(0, 100);
    if (raw.deprecated === true) node.deprecated = true;
    if (raw.readOnly === true) node.readOnly = true;
    if (raw.writeOnly === true) node.writeOnly = true;
    if (Array.isArray(raw.enum)) node.enum = raw.enum;
    if (raw.const !== undefined) node.const = raw.const;
    if (raw.default !== undefined) node.default = raw.default;
    if (raw.example !== undefined) node.example = raw.example;
    else if (Array.isArray(raw.examples) && raw.examples.length) node.example = raw.examples[0];
    node.constraints = constraintsOf(raw);

    const required = new Set(Array.isArray(raw.required) ? raw.required.filter((r): r is string => typeof r === "string") : []);
    if (isObject(raw.properties)) {
      for (const [propName, value] of Object.entries(raw.properties)) {
        const schema = this.normalize(value);
        if (schema) node.properties.push({ name: propName, required: required.has(propName), schema });
      }
    }
    if (Array.isArray(raw.allOf)) this.mergeAllOf(node, raw, required);
    this.propertiesDone.add(node);

    if (raw.additionalProperties === true) node.additionalProperties = true;
    else if (isObject(raw.additionalProperties)) {
      const value = this.normalize(raw.additionalProperties);
      // `additionalProperties: {}` says "anything", same as true.
      if (value) node.additionalProperties = Object.keys(raw.additionalProperties).length ? value : true;
    }
    const items = Array.isArray(raw.items) ? raw.items[0] : raw.items;
    if (items !== undefined) node.items = this.normalize(items);
    const oneOf = this.list(raw.oneOf);
    if (oneOf) node.oneOf = oneOf;
    const anyOf = this.list(raw.anyOf);
    if (anyOf) node.anyOf = anyOf;
    if (raw.not !== undefined) node.not = this.normalize(raw.not);
    if (isObject(raw.discriminator) && typeof raw.discriminator.propertyName === "string") {
      const mapping = isObject(raw.discriminator.mapping) ? raw.discriminator.mapping : {};
      node.discriminator = {
        propertyName: raw.discriminator.propertyName,
        mapping: Object.entries(mapping)
          .filter((entry): entry is [string, string] => typeof entry[1] === "string")
          .map(([value, target]) => ({ value, target: target.split("/").pop() ?? target })),
      };
    }
    if (node.types.length === 0) {
      if (node.properties.length || node.additionalProperties) node.types = ["object"];
      else if (node.items) node.types = ["array"];
    }
  }

  private list(value: unknown): Schema[] | undefined {
    if (!Array.isArray(value)) return undefined;
    const out = value.map((v) => this.normalize(v)).filter((s): s is Schema => s !== undefined);
    return out.length ? out : undefined;
  }

  /** Shows `allOf: [Base, {extra fields}]` as one object, like the API's consumers see it. */
  private mergeAllOf(node: Schema, raw: Json, ownRequired: Set<string>): void {
    const rawParts = (raw.allOf as unknown[]).filter(isObject);
    const parts = rawParts.map((p) => this.normalize(p)).filter((s): s is Schema => s !== undefined);
    const mergeable =
      parts.length === rawParts.length &&
      parts.every((part, i) => {
        const rawPart = rawParts[i] as Json;
        const objectish = part.types.every((t) => t === "object");
        // A part still being built (a cycle through allOf) can only be merged once its properties are final.
        return objectish && rawPart.items === undefined && !part.allOf && this.propertiesDone.has(part);
      });
    if (!mergeable) {
      node.allOf = parts;
      return;
    }
    const merged = new Map<string, SchemaProperty>();
    for (const part of parts) {
      for (const prop of part.properties) merged.set(prop.name, prop);
      node.constraints.push(...part.constraints);
      if (!node.additionalProperties && part.additionalProperties) node.additionalProperties = part.additionalProperties;
      // A variant list belongs to the merged object only when one part brings it.
      if (part.oneOf && !node.oneOf) node.oneOf = part.oneOf;
      if (part.anyOf && !node.anyOf) node.anyOf = part.anyOf;
      if (part.discriminator && (part.oneOf || part.anyOf) && !node.discriminator) node.discriminator = part.discriminator;
      if (!node.description && !part.name && part.description) node.description = part.description;
    }
    for (const prop of node.properties) merged.set(prop.name, prop);
    node.properties = [...merged.values()].map((prop) => (ownRequired.has(prop.name) && !prop.required ? { ...prop, required: true } : prop));
    const from = parts.map((p) => p.name).filter((n): n is string => Boolean(n));
    if (from.length) node.mergedFrom = from;
    if (node.types.length === 0) node.types = ["object"];
  }
}

function typesOf(raw: Json): string[] {
  const declared = Array.isArray(raw.type) ? raw.type.filter((t): t is string => typeof t === "string") : typeof raw.type === "string" ? [raw.type] : [];
  if (raw.nullable === true && declared.length && !declared.includes("null")) declared.push("null");
  return declared;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function constraintsOf(raw: Json): string[] {
  const out: string[] = [];
  const min = num(raw.minimum);
  const max = num(raw.maximum);
  // 3.0 has boolean exclusiveMinimum next to minimum; 3.1 has a number.
  const exMin = num(raw.exclusiveMinimum) ?? (raw.exclusiveMinimum === true ? min : undefined);
  const exMax = num(raw.exclusiveMaximum) ?? (raw.exclusiveMaximum === true ? max : undefined);
  if (exMin !== undefined) out.push(`> ${exMin}`);
  else if (min !== undefined) out.push(`≥ ${min}`);
  if (exMax !== undefined) out.push(`< ${exMax}`);
  else if (max !== undefined) out.push(`≤ ${max}`);
  if (num(raw.multipleOf) !== undefined) out.push(`multiple of ${raw.multipleOf}`);
  const minLength = num(raw.minLength);
  const maxLength = num(raw.maxLength);
  if (minLength !== undefined && minLength === maxLength) out.push(`exactly ${minLength} characters`);
  else {
    if (minLength !== undefined && minLength > 0) out.push(`at least ${minLength} characters`);
    if (maxLength !== undefined) out.push(`at most ${maxLength} characters`);
  }
  if (typeof raw.pattern === "string") out.push(`pattern ${raw.pattern.slice(0, 200)}`);
  const minItems = num(raw.minItems);
  const maxItems = num(raw.maxItems);
  if (minItems !== undefined && minItems > 0) out.push(`at least ${minItems} item${minItems === 1 ? "" : "s"}`);
  if (maxItems !== undefined) out.push(`at most ${maxItems} item${maxItems === 1 ? "" : "s"}`);
  if (raw.uniqueItems === true) out.push("unique items");
  const minProps = num(raw.minProperties);
  const maxProps = num(raw.maxProperties);
  if (minProps !== undefined && minProps > 0) out.push(`at least ${minProps} properties`);
  if (maxProps !== undefined) out.push(`at most ${maxProps} properties`);
  return out;
}
