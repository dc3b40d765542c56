import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * Which AWS SDK commands a deployed piece of Portico can send, read from the code: starting at its
 * entry points, follow every import down to the top-level declarations actually used (as a
 * bundler's tree shaking would, so that importing `setApiKeyEnabled` from lib/apigateway/keys.ts
 * does not count `createApiKey` next to it), and collect the `…Command` classes imported from
 * `@aws-sdk/*` by what is reached. Libraries that send commands themselves are listed by hand in
 * LIBRARY_CALLS. Over-approximates (a declaration counts if any code path reaches it), never under.
 */

export const root = path.resolve(import.meta.dirname, "../..");

/** Dependencies that send AWS commands of their own, and which (checked against their source in the test). */
export const LIBRARY_CALLS: Record<string, readonly string[]> = {
  // Auth.js's adapter uses the document client's methods: get, put, update, delete, query, batchWrite.
  "@auth/dynamodb-adapter": ["GetCommand", "PutCommand", "UpdateCommand", "DeleteCommand", "QueryCommand", "BatchWriteCommand"],
};

type Binding = { from: string; name: string };

interface Module {
  file: string;
  /** Local name → where an import binds it from (a file, or a package name). `name` "*" is a namespace. */
  imports: Map<string, Binding>;
  /** Exported name → the local declaration, or the module it is re-exported from. */
  exports: Map<string, { local: string } | Binding>;
  stars: string[];
  /** Top-level declarations by name, and statements that run on load (always kept). */
  decls: Map<string, ts.Node[]>;
  effects: ts.Node[];
}

/** A specifier (or resolved module) that names a package rather than a file of ours. */
const isPackage = (spec: string) => !spec.startsWith(".") && !spec.startsWith("@/") && !path.isAbsolute(spec);

function resolve(spec: string, fromFile: string): string | undefined {
  if (isPackage(spec)) return spec;
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  // CSS, JSON and other assets send nothing.
  if (/\.(css|json|svg|md|ya?ml)$/.test(spec)) return undefined;
  throw new Error(`${path.relative(root, fromFile)}: cannot resolve "${spec}"`);
}

const modules = new Map<string, Module>();

function load(file: string): Module {
  const cached = modules.get(file);
  if (cached) return cached;
  const source = ts.createSourceFile(
    file,
    readFileSync(file, "utf8"),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const m: Module = { file, imports: new Map(), exports: new Map(), stars: [], decls: new Map(), effects: [] };
  const declare = (name: string, node: ts.Node) => m.decls.set(name, [...(m.decls.get(name) ?? []), node]);
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((mod) => mod.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((mod) => mod.kind === ts.SyntaxKind.DefaultKeyword);

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const from = resolve((statement.moduleSpecifier as ts.StringLiteral).text, file);
      if (!from || clause?.isTypeOnly) continue;
      if (!clause) m.effects.push(statement); // side-effect import: the whole module runs
      if (clause?.name) m.imports.set(clause.name.text, { from, name: "default" });
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) m.imports.set(bindings.name.text, { from, name: "*" });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) if (!el.isTypeOnly) m.imports.set(el.name.text, { from, name: (el.propertyName ?? el.name).text });
      }
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      const from = statement.moduleSpecifier ? resolve((statement.moduleSpecifier as ts.StringLiteral).text, file) : undefined;
      if (statement.moduleSpecifier && !from) continue;
      if (!statement.exportClause) m.stars.push(from!);
      else if (ts.isNamespaceExport(statement.exportClause)) m.exports.set(statement.exportClause.name.text, { from: from!, name: "*" });
      else if (ts.isNamedExports(statement.exportClause)) {
        for (const el of statement.exportClause.elements) {
          if (el.isTypeOnly) continue;
          const local = (el.propertyName ?? el.name).text;
          m.exports.set(el.name.text, from ? { from, name: local } : { local });
        }
      }
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      continue;
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      const name = statement.name?.text ?? "default";
      declare(name, statement);
      if (isDefault(statement)) m.exports.set("default", { local: name });
      else if (exported(statement)) m.exports.set(name, { local: name });
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        for (const name of bindingNames(d.name)) {
          declare(name, d);
          if (exported(statement)) m.exports.set(name, { local: name });
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      declare("default", statement);
      m.exports.set("default", { local: "default" });
    } else {
      m.effects.push(statement);
    }
  }
  modules.set(file, m);
  return m;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingNames(el.name)));
}

/** Identifiers a node uses as values: type positions, property names and member names don't count. */
function usedNames(node: ts.Node, out: { names: Set<string>; dynamicImports: string[] }): void {
  if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const arg = node.arguments[0];
    if (arg && ts.isStringLiteral(arg)) out.dynamicImports.push(arg.text);
  }
  if (ts.isIdentifier(node)) {
    const parent = node.parent;
    const isMemberName =
      (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
      (ts.isPropertyAssignment(parent) && parent.name === node) ||
      (ts.isMethodDeclaration(parent) && parent.name === node) ||
      (ts.isPropertyDeclaration(parent) && parent.name === node) ||
      (ts.isJsxAttribute(parent) && parent.name === node);
    if (!isMemberName) out.names.add(node.text);
  }
  ts.forEachChild(node, (child) => usedNames(child, out));
}

/**
 * The SDK commands (`…Command` class names) reachable from the given entry files, every export of
 * each used. `reached`, if given, collects what was reached as `<file>#local:<declaration>`.
 */
export function sdkCalls(entries: string[], reached?: Set<string>): Set<string> {
  const calls = new Set<string>();
  const done = new Set<string>();
  const queue: Array<{ file: string; name: string }> = entries.map((file) => ({ file, name: "*" }));

  const fromPackage = (pkg: string, name: string) => {
    if (pkg.startsWith("@aws-sdk/") && (name === "*" || name === "default"))
      throw new Error(`import ${pkg}'s commands by name, so that the IAM test can see them`);
    if (pkg.startsWith("@aws-sdk/") && name.endsWith("Command")) calls.add(name);
    if (pkg.startsWith("@aws-sdk/") && /^paginate[A-Z]/.test(name)) calls.add(`${name.slice("paginate".length)}Command`);
    for (const call of LIBRARY_CALLS[pkg] ?? []) calls.add(call);
  };
  const request = (binding: Binding) =>
    isPackage(binding.from) ? fromPackage(binding.from, binding.name) : queue.push({ file: binding.from, name: binding.name });

  while (queue.length > 0) {
    const { file, name } = queue.pop()!;
    const key = `${file}#${name}`;
    if (done.has(key)) continue;
    done.add(key);
    reached?.add(key);
    const m = load(file);
    const visit = (nodes: ts.Node[]) => {
      const used = { names: new Set<string>(), dynamicImports: [] as string[] };
      for (const node of nodes) usedNames(node, used);
      for (const spec of used.dynamicImports) {
        const target = resolve(spec, file);
        if (target) request({ from: target, name: "*" });
      }
      for (const n of used.names) {
        if (m.decls.has(n)) queue.push({ file, name: `local:${n}` });
        const binding = m.imports.get(n);
        if (binding) request(binding);
      }
    };
    if (!done.has(`${file}#effects`)) {
      done.add(`${file}#effects`);
      visit(m.effects);
    }
    if (name.startsWith("local:")) {
      visit(m.decls.get(name.slice("local:".length)) ?? []);
    } else if (name === "*") {
      for (const exportedName of [...m.exports.keys()]) queue.push({ file, name: exportedName });
      for (const star of m.stars) queue.push({ file: star, name: "*" });
    } else {
      const target = m.exports.get(name);
      if (target && "local" in target) {
        queue.push({ file, name: `local:${target.local}` });
        // `export { x }` of an imported binding re-exports it.
        const binding = m.imports.get(target.local);
        if (binding) request(binding);
      } else if (target) request(target);
      else for (const star of m.stars) if (exportsName(star, name)) queue.push({ file: star, name });
    }
  }
  return calls;
}

function exportsName(file: string, name: string, seen = new Set<string>()): boolean {
  if (isPackage(file) || seen.has(file)) return false;
  seen.add(file);
  const m = load(file);
  return m.exports.has(name) || m.stars.some((star) => exportsName(star, name, seen));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The Next.js server: every file under app/ (pages, layouts, route handlers, server actions) and the root hooks Next loads. */
export function webEntries(): string[] {
  const hooks = ["proxy.ts", "instrumentation.ts"].map((f) => path.join(root, f)).filter((f) => existsSync(f));
  return [...walk(path.join(root, "app")), ...hooks];
}

export const functionEntry = (name: string) => [path.join(root, "functions", `${name}.ts`)];
