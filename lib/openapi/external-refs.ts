import { readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { SpecError, findPosition, formatPath } from "./errors";
import { isObject } from "./normalize-schema";
import { MAX_SPEC_BYTES, decodeSpecBytes, parseSpecText, specText, type Json } from "./parse-text";

/** A spec split into more files than this is refused. */
export const MAX_SPEC_FILES = 100;

/**
 * Where a spec lives on disk, so that its `$ref`s may name other files beside it. Only files
 * inside `dir` (the catalog folder) are ever read; without this, a `$ref` to another file is
 * refused.
 */
export interface SpecFiles {
  /** The folder nothing outside of which is read: catalog/. */
  dir: string;
  /** The spec's path inside it, e.g. "apis/pets.yaml". */
  path: string;
}

interface LoadedFile {
  /** As errors name it, e.g. "catalog/apis/schemas/pet.yaml". */
  display: string;
  text: string;
  doc: Json;
}

/** Reads a spec file from disk: UTF-8 (with or without a byte-order mark) or UTF-16 with one. */
export function readSpecFile(absolute: string, display: string): string {
  return decodeSpecBytes(display, readFileSync(absolute));
}

/** Every `$ref` in a document, with where it is. */
function refsIn(doc: unknown): { ref: string; segments: string[] }[] {
  const found: { ref: string; segments: string[] }[] = [];
  const seen = new WeakSet<object>();
  const stack: { node: unknown; segments: string[] }[] = [{ node: doc, segments: [] }];
  while (stack.length) {
    const { node, segments } = stack.pop() as { node: unknown; segments: string[] };
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], segments: [...segments, String(i)] });
      continue;
    }
    const entries = Object.entries(node as Json);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i] as [string, unknown];
      if (key === "$ref" && typeof value === "string") found.push({ ref: value, segments: [...segments, "$ref"] });
      else stack.push({ node: value, segments: [...segments, key] });
    }
  }
  return found.reverse();
}

/** What a JSON pointer (`/responses/ok`, URI-encoded or not) names in a document, if anything. */
function atPointer(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const raw of pointer.split("/").slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    segment = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Json)[segment];
  }
  return node;
}

const inside = (dir: string, file: string) => {
  const relative = path.relative(dir, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
};

/** A `$ref` from one file into another: what it names (for naming schemas). */
interface FileRef {
  ref: string;
  target: string;
  pointer: string;
}

/**
 * Reads every file the spec's `$ref`s name, and theirs in turn, after checking each one: a
 * relative path to a .yaml, .yml or .json file inside the catalog folder (no URL, no absolute
 * path, no way out through `..` or a symbolic link), at most MAX_SPEC_FILES files and
 * MAX_SPEC_BYTES in all, naming something that is there. Anything else is refused, naming the
 * file, the `$ref` and why. Returns undefined when the spec is a single file.
 */
function readReferencedFiles(root: LoadedFile, files: SpecFiles | undefined): { loaded: Map<string, LoadedFile>; refs: FileRef[] } | undefined {
  const first = refsIn(root.doc).filter(({ ref }) => !ref.startsWith("#"));
  if (!first.length) return undefined;
  const refuse = (from: LoadedFile, ref: string, segments: string[], why: string): never => {
    throw new SpecError(from.display, { path: formatPath(segments, from.doc), pointer: ref, ...findPosition(from.text, segments) }, `$ref "${ref}" ${why}`);
  };
  if (!files) {
    const { ref, segments } = first[0] as { ref: string; segments: string[] };
    return refuse(
      root,
      ref,
      segments,
      "points outside this file; external references are not supported for a spec exported from API Gateway (only a spec in catalog/ may be split into files)",
    );
  }

  const dir = path.resolve(files.dir);
  const realDir = realpathSync(dir);
  const rootPath = path.resolve(dir, files.path);
  const loaded = new Map<string, LoadedFile>([[rootPath, root]]);
  const found: FileRef[] = [];
  const pending: (FileRef & { from: LoadedFile; segments: string[] })[] = [];
  let bytes = Buffer.byteLength(root.text);
  const queue: { file: string; from: LoadedFile; refs: { ref: string; segments: string[] }[] }[] = [{ file: rootPath, from: root, refs: refsIn(root.doc) }];
  while (queue.length) {
    const { file, from, refs } = queue.shift() as (typeof queue)[number];
    for (const { ref, segments } of refs) {
      const fail = (why: string) => refuse(from, ref, segments, why);
      const hash = ref.indexOf("#");
      const target = hash < 0 ? ref : ref.slice(0, hash);
      const pointer = hash < 0 ? "" : ref.slice(hash + 1);
      if (!target) {
        // Inside the root, swagger-parser checks these and says where; inside a pulled-in file, here.
        if (file !== rootPath) pending.push({ ref, target: file, pointer, from, segments });
        continue;
      }
      if (/^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith("//"))
        fail("is a URL: the portal never fetches one; copy the file into catalog/ and name it by a relative path");
      if (path.isAbsolute(target) || target.startsWith("\\")) fail("is an absolute path: name the file relative to this one, inside catalog/");
      let decoded = target;
      try {
        decoded = decodeURIComponent(target);
      } catch {
        fail("is not a valid file path (a stray %)");
      }
      if (decoded.includes("\\") || decoded.includes("\0")) fail("is not a valid file path: use forward slashes");
      const absolute = path.resolve(path.dirname(file), decoded);
      if (absolute !== rootPath) found.push({ ref, target: absolute, pointer });
      if (absolute === rootPath || loaded.has(absolute)) {
        if (absolute !== rootPath) pending.push({ ref, target: absolute, pointer, from, segments });
        continue;
      }
      if (!inside(dir, absolute)) fail("leads outside catalog/: a spec may only reference files inside catalog/");
      if (!/\.(ya?ml|json)$/i.test(absolute)) fail("must name a .yaml, .yml or .json file");
      const display = path.posix.join(path.posix.dirname(root.display), path.relative(path.dirname(rootPath), absolute).split(path.sep).join("/"));
      let real = "";
      try {
        if (!statSync(absolute).isFile()) fail(`names ${display}, which is not a file`);
        real = realpathSync(absolute);
      } catch (error) {
        if (error instanceof SpecError) throw error;
        fail(`names ${display}, which does not exist`);
      }
      if (!inside(realDir, real)) fail(`names ${display}, a symbolic link leading outside catalog/`);
      if (loaded.size >= MAX_SPEC_FILES) fail(`is one file too many: a spec may be split into at most ${MAX_SPEC_FILES} files`);
      const raw = readFileSync(absolute);
      bytes += raw.length;
      if (bytes > MAX_SPEC_BYTES) fail(`makes this spec's files larger than ${MAX_SPEC_BYTES / 1024 / 1024} MB in all`);
      const text = specText(display, decodeSpecBytes(display, raw));
      const doc = parseSpecText(display, text, { fragment: true });
      const next: LoadedFile = { display, text, doc };
      loaded.set(absolute, next);
      pending.push({ ref, target: absolute, pointer, from, segments });
      queue.push({ file: absolute, from: next, refs: refsIn(doc) });
    }
  }
  // Every file is read: now each pointer into one must name something there.
  for (const { ref, target, pointer, from, segments } of pending) {
    const into = loaded.get(target) as LoadedFile;
    if (pointer && atPointer(into.doc, pointer) === undefined) refuse(from, ref, segments, `cannot be resolved: nothing in ${into.display} is at ${pointer}`);
  }
  return { loaded, refs: found };
}

/** A name for what an external `$ref` points at: its last pointer segment, else the file's name. */
function refName(target: string, pointer: string): string | undefined {
  const last = pointer.split("/").pop();
  const name = last ? last.replace(/~1/g, "/").replace(/~0/g, "~") : path.basename(target).replace(/\.(ya?ml|json)$/i, "");
  return /^[A-Za-z_][\w.-]*$/.test(name) ? name : undefined;
}

/**
 * The spec as one document: every file its `$ref`s name (checked as above) pulled in by
 * swagger-parser's bundler, which is handed only those files. `names` learns what the pulled-in
 * schemas are called (`./schemas/pet.yaml#/Pet` → "Pet").
 */
export async function bundleSpec(root: LoadedFile, files: SpecFiles | undefined, names: WeakMap<object, string>): Promise<Json> {
  const read = readReferencedFiles(root, files);
  if (!read || !files) return root.doc;
  const { loaded, refs } = read;
  const rootPath = path.resolve(files.dir, files.path);
  for (const { target, pointer } of refs) {
    const node = atPointer(loaded.get(target)?.doc, pointer);
    const name = refName(target, pointer);
    if (name && isObject(node) && !names.has(node)) names.set(node, name);
  }
  const byUrl = (url: string): LoadedFile => {
    let file = "";
    try {
      file = path.resolve(decodeURIComponent(url.replace(/^file:\/\//, "").split("#")[0] as string));
    } catch {
      // not a path: refused below
    }
    const hit = file !== rootPath ? loaded.get(file) : undefined;
    // Only the files checked above are ever handed over (an `$id` moving the base cannot reach others).
    if (!hit) throw new SpecError(root.display, {}, `a $ref leads to ${url}, which is not one of the files this spec names inside catalog/`);
    return hit;
  };
  try {
    return (await new SwaggerParser().bundle(
      rootPath,
      root.doc as never,
      {
        resolve: {
          file: false,
          http: false,
          external: true,
          catalog: { order: 1, canRead: true, read: (file: { url: string }) => byUrl(file.url).text },
        },
        parse: {
          json: false,
          yaml: false,
          text: false,
          binary: false,
          catalog: { order: 1, canParse: true, parse: (file: { url: string }) => byUrl(file.url).doc },
        },
      } as never,
    )) as unknown as Json;
  } catch (error) {
    const cause = error as Error & { errors?: Error[] };
    const inner = error instanceof SpecError ? error : (cause.errors?.[0] ?? cause);
    if (inner instanceof SpecError) throw inner;
    throw new SpecError(root.display, {}, `the files this spec $refs could not be combined: ${inner.message}`, { cause: error });
  }
}
