import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", ".sandbox/**", ".sst/**", ".open-next/**", "node_modules/**", "test-results/**", "playwright-report/**", "public/docs-assets/**", "next-env.d.ts"],
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
  {
    // The docs pages are whole HTML documents rendered with Preact (lib/docs), outside Next's
    // router: plain <a>, <head> and a module <script> are what they are made of.
    files: ["components/docs/document.tsx", "components/docs/pages.tsx"],
    rules: { "@next/next/no-html-link-for-pages": "off", "@next/next/no-head-element": "off", "@next/next/no-sync-scripts": "off", "@next/next/no-img-element": "off" },
  },
];

export default config;
