// GET /apis/[api]/sdks/[type] – a generated client SDK (GetSdk, cached per stage and type); 404 when an admin turned them off
import { withCaller } from "@/lib/api/route";
import { isSdkType, SDK_TYPES } from "@/lib/apigateway/types";
import { getApiFor } from "@/lib/catalog/read";
import { getSdkZip } from "@/lib/catalog/specs";
import { AppError } from "@/lib/errors";

export const GET = withCaller<{ api: string; type: string }>("user", async (_request, caller, { params }) => {
  const { api: slug, type } = await params;
  if (!isSdkType(type)) throw new AppError("not_found", `There is no such SDK. Available: ${Object.keys(SDK_TYPES).join(", ")}.`);
  const found = await getApiFor(slug, caller);
  if (!found) throw new AppError("not_found", "There is no such API.");
  if (found.api.sdksOff) throw new AppError("not_found", `SDK downloads are turned off for the ${found.api.name} API.`);
  const zip = await getSdkZip(found.api, type);
  return new Response(new Uint8Array(zip), {
    headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${found.api.slug}-${found.api.stage}-${type}-sdk.zip"` },
  });
});
