import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    env: { AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: "1" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites each start their own sandbox on a free port; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
