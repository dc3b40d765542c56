import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** The folders that may import the AWS SDK: one per service, and lib/aws for their shared client settings. */
const PROVIDER_FOLDERS = ["lib/db/**", "lib/apigateway/**", "lib/cognito/**", "lib/metering/**", "lib/s3/**", "lib/cloudfront/**", "lib/ses/**", "lib/aws/**"];
const NO_SANDBOX = {
  group: ["**/local/**", "@/local/**"],
  message: "local/ is the dev sandbox; production code reaches AWS only through lib/ and the SDK's endpoint settings.",
};
const NO_AWS_SDK = {
  group: ["@aws-sdk/*"],
  message:
    "Only the provider folders (lib/db, lib/apigateway, lib/cognito, lib/metering, lib/s3, lib/cloudfront, lib/ses, lib/aws) import the AWS SDK: call their functions instead.",
};

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [
      ".next/**",
      ".sandbox/**",
      ".sst/**",
      ".open-next/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "public/docs-assets/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // The sandbox is dev/test tooling: the portal must never depend on it. And each AWS service
    // has one provider folder that speaks its SDK; everything else calls that folder's functions.
    files: ["app/**", "components/**", "lib/**", "functions/**"],
    ignores: PROVIDER_FOLDERS,
    rules: { "no-restricted-imports": ["error", { patterns: [NO_SANDBOX, NO_AWS_SDK] }] },
  },
  {
    // A later block's no-restricted-imports replaces an earlier one's, so the provider folders
    // (left out above) restate the sandbox rule for themselves.
    files: PROVIDER_FOLDERS,
    rules: { "no-restricted-imports": ["error", { patterns: [NO_SANDBOX] }] },
  },
  {
    // The docs pages are whole HTML documents rendered with Preact (components/docs), outside
    // Next's router: plain <a>, <head> and a module <script> are what they are made of.
    files: ["components/docs/document.tsx", "components/docs/pages.tsx", "components/shell/document-header.tsx"],
    rules: {
      "@next/next/no-html-link-for-pages": "off",
      "@next/next/no-head-element": "off",
      "@next/next/no-sync-scripts": "off",
      "@next/next/no-img-element": "off",
    },
  },
];

export default config;
