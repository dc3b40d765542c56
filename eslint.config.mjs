import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", ".sandbox/**", ".sst/**", ".open-next/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // The sandbox is dev/test tooling: the portal must never depend on it.
    files: ["app/**", "components/**", "lib/**", "functions/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/local/**", "@/local/**"], message: "local/ is the dev sandbox; production code reaches AWS only through lib/ and the SDK's endpoint settings." }] }],
    },
  },
];

export default config;
