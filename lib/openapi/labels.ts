import type { ApiDocument, Operation, Schema, SecurityScheme, Tag } from "./types";

/** A short type for a schema: "string<date-time>", "array of Pet", "integer | null", "one of 3". */
export function typeLabel(schema: Schema, depth = 0): string {
  const nonNull = schema.types.filter((t) => t !== "null");
  const nullable = schema.types.includes("null") ? " | null" : "";
  if (nonNull.includes("array") && nonNull.length === 1) {
    const items = schema.items && depth < 2 ? typeLabel(schema.items, depth + 1) : "any";
    return `array of ${items}${nullable}`;
  }
  if (schema.name && (nonNull.length === 0 || nonNull.includes("object") || schema.oneOf || schema.anyOf)) return `${schema.name}${nullable}`;
  if (nonNull.length === 0) {
    if (schema.oneOf) return `one of ${schema.oneOf.length}`;
    if (schema.anyOf) return `any of ${schema.anyOf.length}`;
    if (schema.allOf) return `all of ${schema.allOf.length}`;
    if (schema.const !== undefined) return "constant";
    return schema.types.includes("null") ? "null" : "any";
  }
  const base = nonNull.join(" | ");
  if (schema.additionalProperties && schema.additionalProperties !== true && !schema.properties.length && depth < 2 && nonNull[0] === "object") {
    return `map of ${typeLabel(schema.additionalProperties, depth + 1)}${nullable}`;
  }
  return `${schema.format ? `${base}<${schema.format}>` : base}${nullable}`;
}

/** "API key (header x-api-key)", "HTTP basic", "OAuth 2.0"… */
export function securitySchemeLabel(scheme: SecurityScheme | undefined, key: string): string {
  if (!scheme) return key;
  switch (scheme.type) {
    case "apiKey":
      return `API key (${scheme.in ?? "header"} ${scheme.name ?? key})`;
    case "http":
      return scheme.scheme?.toLowerCase() === "bearer"
        ? `Bearer token${scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ""}`
        : `HTTP ${scheme.scheme ?? "auth"}`;
    case "oauth2":
      return "OAuth 2.0";
    case "openIdConnect":
      return "OpenID Connect";
    case "mutualTLS":
      return "Mutual TLS";
    default:
      return key;
  }
}

export function getOperation(doc: ApiDocument, slug: string): Operation | undefined {
  return doc.operations.get(slug);
}

export function getTag(doc: ApiDocument, slug: string): Tag | undefined {
  return doc.tags.find((t) => t.slug === slug);
}
