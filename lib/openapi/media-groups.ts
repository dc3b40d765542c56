/**
 * A body's or response's media types grouped by schema: Kubernetes answers in 13 media types with
 * one schema, and a spec can list 2,000. Each group is shown once, headed by all its types.
 * Schemas are the same when they are the same object (a $ref, a shared component) or, failing
 * that, structurally equal (inline copies), compared by a bounded fingerprint.
 */
import type { Example, MediaType, Schema } from "./types";

export interface MediaGroup {
  contentTypes: string[];
  schema?: Schema;
  /** Each type's examples, identical ones once, with the types that share them. */
  examples: { example: Example; contentTypes: string[] }[];
}

/** Nodes a fingerprint may visit; bigger schemas are grouped by identity only. */
const MAX_FINGERPRINT_NODES = 2_000;
/** Characters a fingerprint may hold before it stops (and the schema is grouped by identity only). */
const MAX_FINGERPRINT_CHARS = 200_000;

// Fingerprints are pure functions of a schema graph (never mutated after loading): computed once.
const fingerprints = new WeakMap<Schema, string | null>();
// Named schemas (components) inside a fingerprint are themselves, by identity: two inline copies
// that use the same components match without walking them (a component can hold 5,000 fields).
const componentIds = new WeakMap<Schema, number>();
let nextComponentId = 0;

/** The schema graph as text, cycles as back-references; null past the bounds. */
export function fingerprint(root: Schema): string | null {
  const cached = fingerprints.get(root);
  if (cached !== undefined) return cached;
  const seen = new Map<Schema, number>();
  const parts: string[] = [];
  let chars = 0;
  let ok = true;
  const put = (s: string) => {
    chars += s.length;
    if (chars > MAX_FINGERPRINT_CHARS) ok = false;
    else parts.push(s);
  };
  const visit = (s: Schema | true | undefined): void => {
    if (!ok) return;
    if (s === undefined) return put("u");
    if (s === true) return put("t");
    const at = seen.get(s);
    if (at !== undefined) return put(`^${at}`);
    if (s !== root && s.name) {
      let id = componentIds.get(s);
      if (id === undefined) componentIds.set(s, (id = nextComponentId++));
      return put(`#${id}`);
    }
    if (seen.size >= MAX_FINGERPRINT_NODES) {
      ok = false;
      return;
    }
    seen.set(s, seen.size);
    const { properties, additionalProperties, items, allOf, oneOf, anyOf, not, ...own } = s;
    put(JSON.stringify(own, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
    put(`P${properties.length}`);
    for (const p of properties) {
      put(JSON.stringify([p.name, p.required]));
      visit(p.schema);
    }
    put("A");
    visit(additionalProperties);
    put("I");
    visit(items);
    for (const [word, list] of [
      ["L", allOf],
      ["O", oneOf],
      ["Y", anyOf],
    ] as const) {
      put(`${word}${list?.length ?? -1}`);
      for (const v of list ?? []) visit(v);
    }
    put("N");
    visit(not);
  };
  try {
    visit(root);
  } catch {
    // A value JSON can't write (an example holding a cycle): identity only.
    ok = false;
  }
  const result = ok ? parts.join("|") : null;
  fingerprints.set(root, result);
  return result;
}

/** The media types grouped by schema, in the order of each group's first type. */
export function groupMedia(content: MediaType[]): MediaGroup[] {
  const groups: MediaGroup[] = [];
  const byIdentity = new Map<Schema | undefined, MediaGroup>();
  const byShape = new Map<string, MediaGroup>();
  const sameExample = new Map<MediaGroup, Map<string, MediaGroup["examples"][number]>>();
  for (const media of content) {
    let group = byIdentity.get(media.schema);
    if (!group && media.schema && content.length > 1) {
      const key = fingerprint(media.schema);
      if (key !== null) group = byShape.get(key);
      if (!group) {
        group = { contentTypes: [], schema: media.schema, examples: [] };
        if (key !== null) byShape.set(key, group);
        groups.push(group);
      }
      byIdentity.set(media.schema, group);
    }
    if (!group) {
      group = { contentTypes: [], schema: media.schema, examples: [] };
      byIdentity.set(media.schema, group);
      groups.push(group);
    }
    group.contentTypes.push(media.contentType);
    let known = sameExample.get(group);
    if (!known) sameExample.set(group, (known = new Map()));
    for (const example of media.examples) {
      const key = `${example.name ?? ""}\u0000${example.text}`;
      const same = known.get(key);
      if (same) same.contentTypes.push(media.contentType);
      else {
        const entry = { example, contentTypes: [media.contentType] };
        known.set(key, entry);
        group.examples.push(entry);
      }
    }
  }
  return groups;
}
