// GET /apis/[api]/spec/json|yaml – download the API's OpenAPI definition
import { NextResponse, type NextRequest } from "next/server";
import { getCaller } from "@/lib/auth";
import { specText } from "@/lib/catalog/catalog";
import { getApiDocsOrThrow } from "@/lib/catalog/docs";
import { toErrorBody } from "@/lib/errors";
import { toDownloadableSpec } from "@/lib/openapi";

export async function GET(_request: NextRequest, { params }: { params: Promise<{ api: string; format: string }> }) {
  const { api: slug, format } = await params;
  try {
    if (format !== "json" && format !== "yaml") return NextResponse.json({ error: { code: "not_found", message: "Use /spec/json or /spec/yaml." } }, { status: 404 });
    const { api } = await getApiDocsOrThrow(slug, await getCaller());
    const spec = toDownloadableSpec({ file: `${api.slug}.${format}`, text: specText(api) }, format);
    return new Response(spec.body, { headers: { "content-type": spec.contentType, "content-disposition": `attachment; filename="${api.slug}-${api.stage}.${format}"` } });
  } catch (error) {
    const { status, body } = toErrorBody(error);
    return NextResponse.json(body, { status });
  }
}
