// npm run bench -- dev: how long a newcomer waits after `npm run dev` before pages come back, with
// no .next, side by side with the floor: a minimal Next.js app (one layout, one page; bare, and with
// Tailwind as create-next-app's starter has it) started with the same `next dev` in the same run.
//
// Reported, never judged: spawn → first 200 on `/` and the ratios to the floor, for the portal's
// first start (no sandbox state either, as on a fresh clone) and a start with the sandbox's state
// kept; Next's own account of its start, compile and render of `/` (its trace); when the sandbox was
// seeded and Next listening; then the first load of the pages people open next (an API, an
// operation page, sign-up → dashboard). BENCH_DEV_RUNS (default 1) repeats it; medians are reported.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { nextEnv, signUp } from "./portal";
import { startChild, waitForOutput, type Child } from "./processes";
import { freePort, loopback, percentile, root, runBench, table, type Cleanup } from "./support";

const RUNS = Math.max(1, Number(process.env.BENCH_DEV_RUNS ?? 1));
/** Both apps build into folders of their own, so the repo's .next (and a running `npm run dev`) is untouched. */
const PORTAL_DIST_DIR = ".sandbox/bench-dev";
const FLOOR_DIR = path.join(root, ".sandbox/bench-dev-floor");

export async function run(): Promise<void> {
  await runBench(bench);
}

interface Timings {
  [label: string]: number;
}

async function bench(cleanup: Cleanup): Promise<void> {
  cleanup.add("floor app", () => rmSync(FLOOR_DIR, { recursive: true, force: true }));
  console.log(
    `\nTime to the first page with no .next, ${RUNS} run(s) of each in turn: the floor (a minimal Next app, bare and with ` +
      `Tailwind); the portal's first start (no sandbox state either, as on a fresh clone); the portal started again (sandbox state kept, .next removed).\n`,
  );
  const runs: Record<"floor" | "starter" | "first" | "again", Timings[]> = { floor: [], starter: [], first: [], again: [] };
  for (let i = 0; i < RUNS; i += 1) {
    runs.floor.push(await floor(cleanup, false));
    runs.starter.push(await floor(cleanup, true));
    const stateDir = mkdtempSync(path.join(tmpdir(), "portico-bench-dev-"));
    cleanup.add("sandbox state", () => rmSync(stateDir, { recursive: true, force: true }));
    const ports = { sandbox: await freePort(), portal: await freePort() };
    runs.first.push(await portal(cleanup, stateDir, ports));
    runs.again.push(await portal(cleanup, stateDir, ports));
    rmSync(stateDir, { recursive: true, force: true });
    const at = (which: Timings[]) => seconds(which.at(-1)!["first 200 on /"]!);
    console.log(`  run ${i + 1}: floor ${at(runs.floor)}, with Tailwind ${at(runs.starter)}, portal ${at(runs.first)}, again ${at(runs.again)}`);
  }
  const median = (label: string, which: Timings[]) => {
    const values = which.map((t) => t[label]).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    return values.length ? seconds(percentile(values, 50)) : "-";
  };
  const labels = [...new Set([...Object.keys(runs.floor[0]!), ...Object.keys(runs.first[0]!)])];
  console.log(
    `\n${table(
      labels.map((label) => ({
        "since spawn (median)": label,
        "minimal Next app": median(label, runs.floor),
        "… with Tailwind": median(label, runs.starter),
        "portal, first start": median(label, runs.first),
        "portal, again": median(label, runs.again),
      })),
    )}`,
  );
  const first200 = (which: Timings[]) =>
    percentile(
      which.map((t) => t["first 200 on /"]!),
      50,
    );
  const ratios = (floorRuns: Timings[]) =>
    `first start ${(first200(runs.first) / first200(floorRuns)).toFixed(2)}×, started again ${(first200(runs.again) / first200(floorRuns)).toFixed(2)}×`;
  console.log(`\nportal ÷ minimal Next app, first 200 on /: ${ratios(runs.floor)}`);
  console.log(`portal ÷ minimal Next app with Tailwind:   ${ratios(runs.starter)}`);
}

/**
 * The floor: one layout and one page. With `tailwind`, styled as create-next-app's default starter
 * is (a globals.css with Tailwind through PostCSS), for a second, closer reference.
 */
function writeFloorApp(tailwind: boolean): void {
  rmSync(FLOOR_DIR, { recursive: true, force: true });
  mkdirSync(path.join(FLOOR_DIR, "app"), { recursive: true });
  const css = tailwind ? `import "./globals.css";\n` : "";
  writeFileSync(
    path.join(FLOOR_DIR, "app/layout.tsx"),
    `${css}export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return <html lang="en"><body className="antialiased">{children}</body></html>;\n}\n`,
  );
  writeFileSync(
    path.join(FLOOR_DIR, "app/page.tsx"),
    `export default function Home() {\n  return <main className="flex min-h-screen items-center justify-center"><h1 className="text-3xl font-bold">Hello</h1></main>;\n}\n`,
  );
  if (tailwind) {
    // A git repository with a .gitignore, as create-next-app makes it: Tailwind looks for class names
    // in every file git doesn't ignore (without one, it reads all of node_modules).
    writeFileSync(path.join(FLOOR_DIR, ".gitignore"), "/node_modules\n/.next/\n");
    execFileSync("git", ["init", "-q"], { cwd: FLOOR_DIR });
    writeFileSync(path.join(FLOOR_DIR, "app/globals.css"), `@import "tailwindcss";\n`);
    writeFileSync(path.join(FLOOR_DIR, "postcss.config.mjs"), `export default { plugins: { "@tailwindcss/postcss": {} } };\n`);
  }
  // A project of its own (Next takes the nearest lock file's folder as its root, and would otherwise
  // pick up the portal's config and instrumentation), with the portal's packages hard-linked in.
  writeFileSync(path.join(FLOOR_DIR, "next.config.mjs"), "export default { turbopack: { root: import.meta.dirname } };\n");
  writeFileSync(path.join(FLOOR_DIR, "package.json"), JSON.stringify({ name: "floor", private: true }));
  writeFileSync(path.join(FLOOR_DIR, "package-lock.json"), JSON.stringify({ name: "floor", lockfileVersion: 3, requires: true, packages: {} }));
  execFileSync("cp", ["-al", path.join(root, "node_modules"), path.join(FLOOR_DIR, "node_modules")]);
  writeFileSync(
    path.join(FLOOR_DIR, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        jsx: "preserve",
        strict: true,
        module: "esnext",
        moduleResolution: "bundler",
        esModuleInterop: true,
        skipLibCheck: true,
        isolatedModules: true,
        noEmit: true,
        lib: ["dom", "esnext"],
        plugins: [{ name: "next" }],
      },
      include: ["**/*.tsx"],
    }),
  );
}

/** The floor's folder exists only while it runs: the portal's `next dev` would otherwise watch its node_modules. */
async function floor(cleanup: Cleanup, tailwind: boolean): Promise<Timings> {
  writeFloorApp(tailwind);
  const port = await freePort();
  const started = performance.now();
  const child = startChild(
    "next dev (floor)",
    [path.join(FLOOR_DIR, "node_modules/next/dist/bin/next"), "dev", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      cwd: FLOOR_DIR,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "development" },
    },
  );
  cleanup.add(
    "floor",
    () => child.stop(),
    () => child.terminate(),
  );
  try {
    const timings: Timings = {};
    await listening(port, child);
    timings["Next listening"] = performance.now() - started;
    await get(child, `http://127.0.0.1:${port}/`);
    timings["first 200 on /"] = performance.now() - started;
    await child.stop(); // Next writes the rest of its trace as it exits
    return { ...timings, ...traced(path.join(FLOOR_DIR, ".next")) };
  } finally {
    await child.stop();
    rmSync(FLOOR_DIR, { recursive: true, force: true });
  }
}

/** `npm run dev` with no .next, its sandbox state in `stateDir` (empty or kept from a previous start). */
async function portal(cleanup: Cleanup, stateDir: string, ports: { sandbox: number; portal: number }): Promise<Timings> {
  rmSync(path.join(root, PORTAL_DIST_DIR), { recursive: true, force: true });
  const [sandboxPort, portalPort] = [ports.sandbox, ports.portal];
  const started = performance.now();
  // What `npm run dev` runs, on free ports, with its state and its .next elsewhere.
  const child = startChild("npm run dev", [path.join(root, "node_modules/tsx/dist/cli.mjs"), "local/dev.ts"], {
    cwd: root,
    env: { ...nextEnv(PORTAL_DIST_DIR), SANDBOX_PORT: String(sandboxPort), PORT: String(portalPort), SANDBOX_STATE_DIR: stateDir, SANDBOX_SCHEDULE: "off" },
  });
  cleanup.add(
    "portal",
    () => child.stop(),
    () => child.terminate(),
  );
  try {
    const timings: Timings = {};
    await waitForOutput(child, "Portico sandbox", 180_000);
    timings["sandbox seeded (banner)"] = performance.now() - started;
    await listening(portalPort, child);
    timings["Next listening"] = performance.now() - started;
    const portalUrl = `http://localhost:${portalPort}`;
    await get(child, `${loopback(portalUrl)}/`);
    timings["first 200 on /"] = performance.now() - started;
    // What a newcomer opens next: each is timed from its own request (compile included).
    for (const [label, url] of [
      ["/ again", "/"],
      ["then /apis/pets", "/apis/pets"],
      ["then an operation page", "/apis/pets/operations/list-pets"],
    ] as const) {
      const t = performance.now();
      await get(child, `${loopback(portalUrl)}${url}`);
      timings[label] = performance.now() - t;
    }
    const t = performance.now();
    const browser = await signUp(portalUrl, { email: `bench-${Date.now()}@example.com`, name: "Bench", password: "Bench-password-1234" });
    const dashboard = await browser.request(`${portalUrl}/dashboard`);
    if (dashboard.status !== 200) throw new Error(`/dashboard answered ${dashboard.status} after sign-up:\n${child.output().slice(-2000)}`);
    timings["then sign-up → dashboard"] = performance.now() - t;
    await child.stop(); // Next writes the rest of its trace as it exits
    return { ...timings, ...traced(path.join(root, PORTAL_DIST_DIR)) };
  } finally {
    await child.stop();
  }
}

/** Resolves once something accepts connections on 127.0.0.1:`port` (or throws if `child` exits or 3 minutes pass). */
async function listening(port: number, child: Child): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited:\n${child.output().slice(-2000)}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${port} within 3 minutes:\n${child.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Next's own account of the first page, from the trace it writes into its dist dir: when it was
 * ready (from its start), how long compiling `/` took and how long the first render of `/` took.
 */
function traced(distDir: string): Timings {
  const spans: { name: string; duration: number; startTime: number; tags?: Record<string, unknown> }[] = [];
  // `next dev` writes it to <distDir>/dev/trace, or to <distDir>/trace with bench/next-dist-dir.cjs.
  const file = [path.join(distDir, "dev/trace"), path.join(distDir, "trace")].find((f) => existsSync(f));
  for (const line of file ? readFileSync(file, "utf8").split("\n") : []) {
    if (line.trim()) spans.push(...(JSON.parse(line) as typeof spans));
  }
  const first = (name: string, tag: string, value: string) => spans.find((s) => s.name === name && s.tags?.[tag] === value);
  const server = spans.find((s) => s.name === "start-dev-server");
  const compile = first("compile-path", "trigger", "/");
  const render = first("render-path", "path", "/");
  // Durations are in microseconds.
  return {
    "  Next: its own start": (server?.duration ?? NaN) / 1000,
    "  Next: compiling /": (compile?.duration ?? NaN) / 1000,
    "  Next: first render of /": (render?.duration ?? NaN) / 1000,
  };
}

/**
 * One GET, waiting as long as a first compile takes; anything but 200 is a failure. `next dev`
 * accepts connections before it serves them and drops those: a dropped connection is tried again.
 */
async function get(child: Child, url: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(180_000) });
    } catch (error) {
      if (Date.now() > deadline || child.process.exitCode !== null) throw new Error(`${url}: ${(error as Error).message}:\n${child.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}:\n${child.output().slice(-2000)}`);
    return;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
