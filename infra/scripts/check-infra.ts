/**
 * `npm run check:infra`: what can be checked about the AWS deployment without an AWS account.
 *  1. SST's platform types in .sst/platform (`sst install`, which needs only the npm registry);
 *  2. sst.config.ts and infra/ type-checked against them (tsconfig.infra.json);
 *  3. the OpenNext bundle a deploy uploads, built with the pinned OpenNext exactly as SST runs it;
 *  4. that bundle's server function answering a few requests in-process, configured the way
 *     infra/ configures it in AWS;
 *  5. every Lambda handler infra/ deploys (functions/*.ts: those it names, and one per scheduled job)
 *     bundled as SST bundles it, exporting it.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { JOB_NAMES, jobHandler } from "../../functions/jobs";
import { OPEN_NEXT_VERSION } from "../lib/versions";

const root = path.resolve(import.meta.dirname, "../..");
const timings: Array<[string, number, string]> = [];

function step(title: string, fn: () => string | void): void {
  console.log(`\n▶ ${title}`);
  const start = Date.now();
  const note = fn() ?? "";
  timings.push([title, Date.now() - start, note]);
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

function fail(message: string): never {
  throw new Error(message);
}

step("SST platform types (.sst/platform)", () => {
  const installed = JSON.parse(readFileSync(path.join(root, "node_modules/sst/package.json"), "utf8")).version as string;
  const platform = path.join(root, ".sst/platform");
  const current =
    existsSync(path.join(platform, "config.d.ts")) &&
    existsSync(path.join(platform, "node_modules/@pulumi/aws/package.json")) &&
    readFileSync(path.join(platform, "version"), "utf8").trim() === installed;
  if (current) return `cached (sst ${installed})`;
  // These variables make `sst install` work with no AWS credentials and no network but npm's.
  const env = { ...process.env, SST_NO_BUN: "1", SST_STAGE: "ci", SST_TELEMETRY_DISABLED: "1", SST_SKIP_DEPENDENCY_CHECK: "1" };
  try {
    run("npx", ["--no-install", "sst", "install"], { env });
  } catch (error) {
    const log = path.join(root, ".sst/log/sst.log");
    if (existsSync(log)) console.error(readFileSync(log, "utf8").split("\n").slice(-30).join("\n"));
    throw error;
  }
  return `installed (sst ${installed})`;
});

step("Type-check sst.config.ts and infra/ (tsconfig.infra.json)", () => {
  run("npx", ["--no-install", "tsc", "--noEmit", "-p", "tsconfig.infra.json"]);
});

step(`OpenNext ${OPEN_NEXT_VERSION} build`, () => {
  // The command SST's Nextjs component runs; the exact devDependency makes npx use the local copy.
  run("npx", ["--no-install", `@opennextjs/aws@${OPEN_NEXT_VERSION}`, "build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
});

const output = JSON.parse(readFileSync(path.join(root, ".open-next/open-next.output.json"), "utf8")) as {
  edgeFunctions: Record<string, unknown>;
  origins: Record<string, { type: string; bundle?: string; handler?: string }>;
};
const serverBundle = path.join(root, output.origins.default?.bundle ?? fail("open-next.output.json has no default origin"));

step("Bundle has what SST deploys", () => {
  // SST refuses edge functions, and reads BUILD_ID and the routes manifest from .next/.
  if (Object.keys(output.edgeFunctions).length > 0) fail("OpenNext produced edge functions; SST's Nextjs component does not deploy them");
  const expected = [
    path.join(serverBundle, "index.mjs"),
    path.join(root, output.origins.imageOptimizer?.bundle ?? fail("no image optimizer origin"), "index.mjs"),
    path.join(root, ".open-next/assets/_next/static"),
    path.join(root, ".next/BUILD_ID"),
    path.join(root, ".next/routes-manifest.json"),
    // lib/catalog reads the owner's catalog at runtime: it must travel with the server function.
    path.join(serverBundle, "catalog/portal.yaml"),
  ];
  const missing = expected.filter((file) => !existsSync(file)).map((file) => path.relative(root, file));
  if (missing.length > 0) fail(`The OpenNext bundle lacks:\n  ${missing.join("\n  ")}`);
  return `${path.relative(root, serverBundle)}/index.mjs`;
});

step("Server function answers with the AWS configuration", () => {
  run("npx", ["--no-install", "tsx", path.join(import.meta.dirname, "serve-once.ts"), serverBundle, path.join(root, ".open-next/assets")], {
    env: { ...process.env, NODE_OPTIONS: "--no-warnings" },
  });
});

step("Lambda handlers infra/ deploys bundle and export their handler", () => {
  const named = new Set<string>();
  for (const file of readdirSync(path.join(root, "infra")).filter((f) => f.endsWith(".ts"))) {
    for (const match of readFileSync(path.join(root, "infra", file), "utf8").matchAll(/handler: "(functions\/[\w-]+\.\w+)"/g)) named.add(match[1]!);
  }
  if (named.size === 0) fail("infra/ names no functions/ handlers");
  // infra/jobs.ts deploys one per scheduled job.
  for (const name of JOB_NAMES) named.add(jobHandler(name));
  const outdir = path.join(root, ".sst/check-functions");
  for (const handler of named) {
    // SST's form: the file without its extension, then the export (functions/key-sweeper.handler).
    const dot = handler.lastIndexOf(".");
    const source = handler.slice(0, dot);
    const exported = handler.slice(dot + 1);
    const outfile = path.join(outdir, `${path.basename(source)}.mjs`);
    // esbuild, as SST bundles functions: one ESM file for Node 20 with its dependencies inlined.
    run("npx", [
      "--no-install",
      "esbuild",
      `${source}.ts`,
      "--bundle",
      "--platform=node",
      "--target=node20",
      "--format=esm",
      `--outfile=${outfile}`,
      "--log-level=warning",
      "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    ]);
    const check = `import(${JSON.stringify(outfile)}).then((m) => { if (typeof m[${JSON.stringify(exported)}] !== "function") { console.error("no export"); process.exit(1); } })`;
    run(process.execPath, ["--input-type=module", "-e", check], { env: { ...process.env, AWS_REGION: "us-east-1" } });
  }
  return [...named].join(", ");
});

console.log("\ncheck:infra passed");
for (const [title, ms, note] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${title}${note ? `: ${note}` : ""}`);
