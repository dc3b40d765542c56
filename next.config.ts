import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The AWS SDK is large and server-only: keep it out of the bundle and load it from node_modules.
  serverExternalPackages: ["@aws-sdk/client-api-gateway", "@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"],
};

export default nextConfig;
