// Preloaded (NODE_OPTIONS=--require) into `next build` / `next start` by bench/docs.ts, so the
// benchmark builds into its own folder instead of the repo's .next (which `npm test` builds and
// serves): next.config.ts has no distDir and must not be changed for a benchmark.
//
// With BENCH_NEXT_DIST_DIR set (a path relative to the project), it
//  - sets distDir (and distDirRoot) on the config Next loads, in every process that loads it;
//  - turns Next's tsconfig.json / next-env.d.ts rewriting into no-ops: with another distDir Next
//    would add that folder to tsconfig.json's `include` and point next-env.d.ts at it.
// Without the variable it does nothing.
/* eslint-disable @typescript-eslint/no-require-imports */
"use strict";

const distDir = process.env.BENCH_NEXT_DIST_DIR;
if (distDir) {
  const Module = require("node:module");
  const path = require("node:path");
  const nextDir = path.dirname(require.resolve("next/package.json", { paths: [process.cwd()] }));
  const targets = {
    [path.join(nextDir, "dist/server/config.js")]: (exports) => {
      const loadConfig = exports.default;
      const wrapped = async (...args) => {
        const config = await loadConfig(...args);
        config.distDir = distDir;
        config.distDirRoot = distDir;
        return config;
      };
      return { ...exports, __esModule: true, default: wrapped };
    },
    [path.join(nextDir, "dist/lib/typescript/writeConfigurationDefaults.js")]: (exports) => ({
      ...exports,
      __esModule: true,
      writeConfigurationDefaults: async () => {},
    }),
    [path.join(nextDir, "dist/lib/typescript/writeAppTypeDeclarations.js")]: (exports) => ({
      ...exports,
      __esModule: true,
      writeAppTypeDeclarations: async () => {},
    }),
  };
  const patched = new Map();
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    const exports = originalLoad.apply(this, arguments);
    if (typeof request !== "string" || !/(config|writeConfigurationDefaults|writeAppTypeDeclarations)(\.js)?$/.test(request)) return exports;
    let filename;
    try {
      filename = Module._resolveFilename(request, parent, isMain);
    } catch {
      return exports;
    }
    const patch = targets[filename];
    if (!patch) return exports;
    if (!patched.has(filename)) patched.set(filename, patch(exports));
    return patched.get(filename);
  };
}
