import { execFile } from "node:child_process";
import { setPriority } from "node:os";
import path from "node:path";
import type { DocsAssets } from "./docs-assets";

/**
 * Runs lib/build/prepare.ts in a child process (on this Node.js, through tsx). Resolves with the
 * docs assets (or undefined with `check`; `dev`: the fixed names; `background`: at a lower CPU
 * priority), or rejects with what it printed: an invalid catalog names the file and the place.
 */
export function runPrepare(options: { check?: boolean; dev?: boolean; root?: string; background?: boolean } = {}): Promise<DocsAssets | undefined> {
  const root = options.root ?? process.cwd();
  const flags = [...(options.check ? ["--check"] : []), ...(options.dev ? ["--dev"] : [])];
  const args = [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "lib/build/prepare.ts"), ...flags];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { cwd: root, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(stderr.trim() || error.message));
      if (options.check) return resolve(undefined);
      try {
        resolve(JSON.parse(stdout) as DocsAssets);
      } catch {
        reject(new Error(`lib/build/prepare.ts printed something other than the docs assets' URLs:\n${stdout.slice(0, 500)}`));
      }
    });
    // Background work yields the CPU to what someone is waiting for (Next compiling the first page).
    if (options.background && child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // not allowed here: it runs at normal priority
      }
    }
  });
}
