import { pointerSegments } from "./errors";

/**
 * How many objects and arrays the document would hold with every internal `$ref` copied in place
 * (circular ones left as references), which is the tree swagger-parser's `validate` builds and
 * checks before anything else. Ten properties that each point at the next of seven schemas make
 * a 3 KB file whose tree has ten million nodes: counting stops as soon as it passes `cap`, so
 * this costs at most `cap` steps whatever the file.
 */
export function expandedNodeCount(root: unknown, cap: number): number {
  if (typeof root !== "object" || root === null) return 0;
  let count = 0;
  // Objects on the current path: a $ref back to one of them is circular and stays a reference.
  const onPath = new Set<object>();
  const stack: { node: object; exit: boolean }[] = [{ node: root, exit: false }];
  while (stack.length) {
    const { node: visited, exit } = stack.pop() as { node: object; exit: boolean };
    if (exit) {
      onPath.delete(visited);
      continue;
    }
    if (++count > cap) return count;
    const node = resolveRef(root, visited);
    if (node === undefined || onPath.has(node)) continue;
    onPath.add(node);
    stack.push({ node, exit: true });
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === "object" && child !== null) stack.push({ node: child, exit: false });
    }
  }
  return count;
}

/** The object a `$ref` leads to in this file (following chains), the node itself if it is no reference, else undefined. */
function resolveRef(root: object, node: object): object | undefined {
  let current: unknown = node;
  for (let hops = 0; hops < 64; hops++) {
    const ref = isRefObject(current) ? current.$ref : undefined;
    if (ref === undefined) return current as object;
    if (!ref.startsWith("#")) return undefined; // not read (resolve.external is off)
    let target: unknown = root;
    for (const segment of pointerSegments(ref)) {
      target = typeof target === "object" && target !== null ? (target as Record<string, unknown>)[decodeURIComponentSafe(segment)] : undefined;
    }
    if (typeof target !== "object" || target === null) return undefined;
    current = target;
  }
  return undefined;
}

function isRefObject(value: unknown): value is { $ref: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { $ref?: unknown }).$ref === "string";
}

function decodeURIComponentSafe(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
