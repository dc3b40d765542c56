// GET /api/admin/config – the portal's non-secret settings, for administrators
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/api/route";
import { getConfig } from "@/lib/config";

export const GET = withCaller("admin", async () => {
  const config = getConfig();
  return NextResponse.json({
    region: config.AWS_REGION,
    table: config.PORTICO_TABLE,
    userPoolId: config.COGNITO_USER_POOL_ID,
    issuer: config.COGNITO_ISSUER,
    siteUrl: config.AUTH_URL,
  });
});
