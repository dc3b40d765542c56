// POST /api/try – relay one try-it request to an API stage in the catalog
import { NextResponse } from "next/server";
import { z } from "zod";
import { readJson, withCaller } from "@/lib/api/route";
import { getApiDocsOrThrow } from "@/lib/catalog/docs";
import { AppError } from "@/lib/errors";
import { getOperation } from "@/lib/openapi";
import { relay } from "@/lib/try-it/relay";

const requestSchema = z.object({
  api: z.string().min(1).max(100),
  operation: z.string().min(1).max(200),
  pathParams: z.record(z.string(), z.string().max(2_000)).default({}),
  query: z.record(z.string(), z.string().max(2_000)).default({}),
  body: z
    .string()
    .max(64 * 1024, "The request body is limited to 64 KB.")
    .optional(),
  contentType: z.string().max(200).optional(),
  apiKey: z
    .string()
    .regex(/^[\x21-\x7e]{1,256}$/, "That doesn't look like an API key.")
    .optional(),
});

export const POST = withCaller(
  "user",
  async (request, caller) => {
    const input = await readJson(request, requestSchema);
    const { api, document } = await getApiDocsOrThrow(input.api, caller);
    const operation = getOperation(document, input.operation);
    if (!operation || operation.kind !== "operation") throw new AppError("not_found", "There is no such operation.");
    if (api.portal) throw new AppError("bad_request", "Call the Developer API from your own client with a portal token (Dashboard → Tokens).");
    if (!api.invokeUrl) throw new AppError("unavailable", "This API stage has no invoke URL yet.");
    const result = await relay({
      invokeUrl: api.invokeUrl,
      method: operation.method.toUpperCase(),
      pathTemplate: operation.path,
      pathParams: input.pathParams,
      query: input.query,
      body: input.body,
      contentType: input.contentType,
      apiKey: input.apiKey,
    });
    return NextResponse.json(result);
  },
  { limit: "tryIt" },
);
