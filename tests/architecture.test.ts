import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The layering the README promises, read from the code: who may import the AWS SDK, which way
 * lib/ and the UI depend on each other, and that nothing imports itself round a loop. Imports are
 * resolved as tsc resolves them (tsconfig's `@/` alias included); type-only imports, re-exports and
 * dynamic `import()` all count, because each one ties the two files together.
 */

const TREES = ["app", "components", "lib", "functions"];
/** The one folder per AWS service (and the shared client settings) that may speak to the SDK. */
const PROVIDER_FOLDERS = ["lib/db", "lib/apigateway", "lib/cognito", "lib/metering", "lib/s3", "lib/cloudfront", "lib/ses", "lib/aws"];

interface ImportGraph {
  /** Every file under TREES (relative, `/`-separated) → the files under TREES it imports. */
  files: Map<string, Set<string>>;
  /** The same files → the packages they import, as written (`@aws-sdk/lib-dynamodb`). */
  packages: Map<string, Set<string>>;
}

function sourceFiles(root: string, dir: string): string[] {
  if (!existsSync(path.join(root, dir))) return [];
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(root, relative);
    return /\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** The module specifiers a file names: import/export declarations, `import()` calls and `import("x").T` types. */
function specifiers(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      found.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression))
      found.push(node.moduleReference.expression.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
      found.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      found.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function buildImportGraph(root: string): ImportGraph {
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  const files = TREES.flatMap((tree) => sourceFiles(root, tree));
  const inTrees = new Set(files);
  const graph: ImportGraph = { files: new Map(), packages: new Map() };
  for (const file of files) {
    const absolute = path.join(root, file);
    const imported = new Set<string>();
    const packages = new Set<string>();
    for (const spec of specifiers(file, readFileSync(absolute, "utf8"))) {
      const resolved = ts.resolveModuleName(spec, absolute, options, ts.sys, cache).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport) {
        const target = path.relative(root, resolved.resolvedFileName).split(path.sep).join("/");
        if (inTrees.has(target)) imported.add(target);
      } else if (!spec.startsWith(".") && !spec.startsWith("@/")) {
        packages.add(spec);
      }
      // What else stays unresolved is a stylesheet or another asset: no code behind it.
    }
    graph.files.set(file, imported);
    graph.packages.set(file, packages);
  }
  return graph;
}

const isUnder = (file: string, folder: string) => file.startsWith(`${folder}/`);

function sdkImportsOutsideProviders(graph: ImportGraph): string[] {
  return [...graph.packages].flatMap(([file, packages]) =>
    PROVIDER_FOLDERS.some((folder) => isUnder(file, folder)) ? [] : [...packages].filter((p) => p.startsWith("@aws-sdk/")).map((p) => `${file} imports ${p}`),
  );
}

function libImportsOfUi(graph: ImportGraph): string[] {
  return [...graph.files].flatMap(([file, imported]) =>
    isUnder(file, "lib")
      ? [...imported].filter((target) => isUnder(target, "components") || isUnder(target, "app")).map((target) => `${file} imports ${target}`)
      : [],
  );
}

/**
 * The tangles (strongly connected components, by Tarjan's algorithm), each with the shortest loop
 * through its first member: a concrete chain to break, and the members that loop doesn't name.
 */
function findCycles(edges: Map<string, Set<string>>): { loop: string[]; members: string[] }[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const tangles: { loop: string[]; members: string[] }[] = [];
  const connect = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== node);
    if (members.length > 1 || edges.get(node)?.has(node)) {
      members.sort();
      tangles.push({ loop: shortestLoop(members[0]!, new Set(members), edges), members });
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) connect(node);
  return tangles.sort((a, b) => a.members[0]!.localeCompare(b.members[0]!));
}

function shortestLoop(start: string, within: Set<string>, edges: Map<string, Set<string>>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (const node of queue) {
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (!within.has(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      if (next === start) {
        const loop = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) loop.unshift(at);
        return [start, ...loop];
      }
      queue.push(next);
    }
  }
  throw new Error(`${start} is in a cycle but no loop leads back to it`);
}

function describeCycles(tangles: { loop: string[]; members: string[] }[]): string[] {
  return tangles.map(({ loop, members }) => {
    const others = members.filter((member) => !loop.includes(member));
    return others.length === 0 ? loop.join(" → ") : `${loop.join(" → ")} (tangled with ${others.join(", ")})`;
  });
}

/** lib/<folder>/… and lib/<folder>.ts both belong to `folder`. */
const libFolder = (file: string) =>
  file
    .slice("lib/".length)
    .split("/")[0]!
    .replace(/\.tsx?$/, "");

/** The lib folders each lib folder imports, and for each such edge the file imports behind it. */
function libFolderGraph(graph: ImportGraph): { edges: Map<string, Set<string>>; because: Map<string, string[]> } {
  const edges = new Map<string, Set<string>>();
  const because = new Map<string, string[]>();
  for (const [file, imported] of graph.files) {
    if (!isUnder(file, "lib")) continue;
    const from = libFolder(file);
    if (!edges.has(from)) edges.set(from, new Set());
    for (const target of imported) {
      const to = isUnder(target, "lib") ? libFolder(target) : undefined;
      if (!to || to === from) continue;
      edges.get(from)!.add(to);
      because.set(`${from} → ${to}`, [...(because.get(`${from} → ${to}`) ?? []), `${file} imports ${target}`]);
    }
  }
  return { edges, because };
}

/** Each tangle of lib folders: a loop, then every import between its folders (the edges to cut). */
function libFolderCycles(graph: ImportGraph): string[] {
  const { edges, because } = libFolderGraph(graph);
  return findCycles(edges).map(({ loop, members }) => {
    const inside = members.flatMap((from) =>
      [...edges.get(from)!]
        .filter((to) => members.includes(to))
        .sort()
        .map((to) => `  ${from} → ${to}: ${because.get(`${from} → ${to}`)!.join(", ")}`),
    );
    return [describeCycles([{ loop, members }])[0], ...inside].join("\n");
  });
}

describe("the import graph of app/, components/, lib/ and functions/", () => {
  const graph = buildImportGraph(path.resolve(import.meta.dirname, ".."));

  it("is read from the code", () => {
    const edges = [...graph.files].flatMap(([file, imported]) => [...imported].map((target) => ({ file, target })));
    expect(graph.files.size).toBeGreaterThan(100);
    // The `@/` alias resolves, and the SDK's packages are seen where they belong.
    expect(edges.some(({ file, target }) => isUnder(file, "app") && isUnder(target, "lib"))).toBe(true);
    expect([...graph.packages].some(([file, packages]) => isUnder(file, "lib/db") && [...packages].some((p) => p.startsWith("@aws-sdk/")))).toBe(true);
  });

  it(`imports the AWS SDK only in ${PROVIDER_FOLDERS.join(", ")}`, () => {
    expect(sdkImportsOutsideProviders(graph)).toEqual([]);
  });

  it("never imports components/ or app/ from lib/", () => {
    expect(libImportsOfUi(graph)).toEqual([]);
  });

  it("has no file-level import cycle", () => {
    expect(describeCycles(findCycles(graph.files))).toEqual([]);
  });

  it("has no cycle between lib/ folders", () => {
    expect(libFolderCycles(graph)).toEqual([]);
  });

  it("takes a user's lease only through changeAccess, which refreshes their profile", () => {
    const importers = [...graph.files].filter(([, imported]) => imported.has("lib/access/lock.ts")).map(([file]) => file);
    expect(importers).toEqual(["lib/access/profile.ts"]);
  });

  it("keeps Next.js out of the Lambda handlers in functions/", () => {
    const reached = new Set<string>();
    const queue = [...graph.files.keys()].filter((file) => isUnder(file, "functions"));
    for (const file of queue) {
      if (reached.has(file)) continue;
      reached.add(file);
      queue.push(...graph.files.get(file)!);
    }
    expect(reached.has("functions/marketplace-listener.ts")).toBe(true);
    const next = [...reached].flatMap((file) =>
      [...graph.packages.get(file)!].filter((p) => p === "next" || p.startsWith("next/")).map((p) => `${file} imports ${p}`),
    );
    expect(next).toEqual([]);
  });
});

describe("the architecture checks, on a small tree written here", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "portico-architecture-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (files: Record<string, string>) => {
    rmSync(root, { recursive: true, force: true });
    for (const [file, text] of Object.entries({
      "tsconfig.json": JSON.stringify({ compilerOptions: { moduleResolution: "bundler", module: "esnext", jsx: "react-jsx", paths: { "@/*": ["./*"] } } }),
      ...files,
    })) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    return buildImportGraph(root);
  };

  it("finds each kind of violation, named by file", () => {
    const graph = write({
      "lib/db/client.ts": 'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nexport const db = new DynamoDBClient({});',
      "lib/access/keys.ts":
        'import type { AttributeValue } from "@aws-sdk/client-dynamodb";\nimport { db } from "@/lib/db/client";\nexport { label } from "../../components/label";',
      "lib/audit.ts": 'import "./users/profile";',
      "lib/users/profile.ts": 'export type Row = import("../audit-types").Row;',
      "lib/audit-types.ts": 'import type { Entry } from "./audit";',
      "components/label.tsx": 'import styles from "./label.module.css";\nexport const label = () => import("./badge");',
      "components/badge.tsx": 'import type { label } from "@/components/label";\nimport "./chip";',
      "components/chip.tsx": 'import { label } from "./label";',
      "app/page.tsx": 'import { label } from "@/components/label";',
      "functions/sweeper.ts": 'import { db } from "../lib/db/client";',
    });
    expect(sdkImportsOutsideProviders(graph)).toEqual(["lib/access/keys.ts imports @aws-sdk/client-dynamodb"]);
    expect(libImportsOfUi(graph)).toEqual(["lib/access/keys.ts imports components/label.tsx"]);
    expect(describeCycles(findCycles(graph.files))).toEqual([
      "components/badge.tsx → components/label.tsx → components/badge.tsx (tangled with components/chip.tsx)",
      "lib/audit-types.ts → lib/audit.ts → lib/users/profile.ts → lib/audit-types.ts",
    ]);
    expect(libFolderCycles(graph)).toEqual([
      [
        "audit → users → audit-types → audit",
        "  audit → users: lib/audit.ts imports lib/users/profile.ts",
        "  audit-types → audit: lib/audit-types.ts imports lib/audit.ts",
        "  users → audit-types: lib/users/profile.ts imports lib/audit-types.ts",
      ].join("\n"),
    ]);
  });

  it("finds a cycle between lib/ folders that no file-level cycle shows", () => {
    const graph = write({
      "lib/keys/create.ts": 'import { record } from "../audit/write";',
      "lib/audit/write.ts": "export const record = 1;",
      "lib/audit/read.ts": 'import { list } from "@/lib/keys/list";',
      "lib/keys/list.ts": "export const list = 1;",
    });
    expect(findCycles(graph.files)).toEqual([]);
    expect(libFolderCycles(graph)).toEqual([
      [
        "audit → keys → audit",
        "  audit → keys: lib/audit/read.ts imports lib/keys/list.ts",
        "  keys → audit: lib/keys/create.ts imports lib/audit/write.ts",
      ].join("\n"),
    ]);
  });

  it("passes a tree that keeps the rules", () => {
    const graph = write({
      "lib/aws/config.ts": 'import type { RetryStrategy } from "@aws-sdk/types";\nexport const retries = 3;',
      "lib/db/client.ts":
        'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { retries } from "../aws/config";\nexport const db = new DynamoDBClient({ maxAttempts: retries });',
      "lib/access/keys.ts": 'import { db } from "@/lib/db/client";\nexport type Key = { id: string };',
      "components/key-list.tsx": 'import type { Key } from "@/lib/access/keys";\nimport { Row } from "./key-row";',
      "components/key-row.tsx": "export const Row = 1;",
      "app/page.tsx": 'import { Row } from "@/components/key-row";\nimport { db } from "@/lib/db/client";',
    });
    expect(graph.files.get("components/key-list.tsx")).toEqual(new Set(["lib/access/keys.ts", "components/key-row.tsx"]));
    expect(sdkImportsOutsideProviders(graph)).toEqual([]);
    expect(libImportsOfUi(graph)).toEqual([]);
    expect(findCycles(graph.files)).toEqual([]);
    expect(libFolderCycles(graph)).toEqual([]);
  });
});
