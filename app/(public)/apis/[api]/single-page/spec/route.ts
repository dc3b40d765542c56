// GET /apis/[api]/single-page/spec – the spec as the Redoc view renders it (raw HTML out, see redoc-spec.ts)
import { forRedoc } from "@/components/docs/redoc-spec";
import { withErrors } from "@/lib/api/route";
import { getCaller } from "@/lib/auth";
import { getSpecText } from "@/lib/catalog/specs";
import { getApiDocsOrThrow } from "@/lib/catalog/docs";
import { toDownloadableSpec } from "@/lib/openapi";

export const GET = withErrors<{ api: string }>(async (_request, { params }) => {
  const { api } = await getApiDocsOrThrow((await params).api, await getCaller());
  const spec = JSON.parse(toDownloadableSpec({ file: `${api.slug}.json`, text: await getSpecText(api) }, "json").body) as unknown;
  return Response.json(forRedoc(spec));
});
