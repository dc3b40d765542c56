import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";

export interface SpecLocation {
  /** Readable path of the offending field, e.g. `paths["/pets"].get.responses["200"]`. */
  path?: string;
  /** For an unresolvable $ref: the JSON pointer it names. */
  pointer?: string;
  /** 1-based, when known. */
  line?: number;
  column?: number;
}

/** An API description that cannot be used, with where the problem is. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly location: SpecLocation,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(formatMessage(file, location, problem), options);
    this.name = "SpecError";
  }
}

function formatMessage(file: string, location: SpecLocation, problem: string): string {
  const where = location.line ? `${file}:${location.line}:${location.column ?? 1}` : file;
  return location.path ? `${where}: ${location.path}: ${problem}` : `${where}: ${problem}`;
}

/**
 * `["paths", "/pets", "get", "parameters", "0"]` → `paths["/pets"].get.parameters[0]`. With the
 * document, array indexes and numeric keys (`responses["200"]`) are told apart.
 */
export function formatPath(segments: readonly string[], root?: unknown): string {
  let out = "";
  let node = root;
  for (const segment of segments) {
    const index = root === undefined ? /^\d+$/.test(segment) : Array.isArray(node);
    if (index) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return out || "(root)";
}

/** JSON pointer (`/paths/~1pets/get`) → segments. */
export function pointerSegments(pointer: string): string[] {
  const body = pointer.replace(/^#/, "");
  if (!body || body === "/") return [];
  return body
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * Line and column of a field in the source text. Only used on the error path, so re-parsing with
 * positions (JSON is YAML) is fine.
 */
export function findPosition(text: string, segments: readonly string[]): { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
  let keyNode: YamlNode | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value as YamlNode | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as YamlNode | undefined;
      if (!item) break;
      keyNode = undefined;
      node = item;
    } else break;
  }
  // Point at the key of a mapping entry (where people look), else at the value.
  const offset = keyNode?.range?.[0] ?? node?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}
