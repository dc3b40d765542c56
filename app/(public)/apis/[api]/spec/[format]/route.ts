// GET /apis/[api]/spec/json|yaml – download the API's OpenAPI definition
import { withErrors } from "@/lib/api/route";
import { getCaller } from "@/lib/auth";
import { getSpecText } from "@/lib/catalog/specs";
import { getApiDocsOrThrow } from "@/lib/catalog/docs";
import { AppError } from "@/lib/errors";
import { toDownloadableSpec } from "@/lib/openapi";

export const GET = withErrors<{ api: string; format: string }>(async (_request, { params }) => {
  const { api: slug, format } = await params;
  if (format !== "json" && format !== "yaml") throw new AppError("not_found", "Use /spec/json or /spec/yaml.");
  const { api } = await getApiDocsOrThrow(slug, await getCaller());
  const spec = toDownloadableSpec({ file: `${api.slug}.${format}`, text: await getSpecText(api) }, format);
  return new Response(spec.body, {
    headers: { "content-type": spec.contentType, "content-disposition": `attachment; filename="${api.slug}-${api.stage}.${format}"` },
  });
});
