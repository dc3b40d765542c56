// GET /llms.txt – the portal's APIs, products and guides as links to their Markdown twins (llmstxt.org).
import { withErrors } from "@/lib/api/route";
import { getCaller } from "@/lib/auth";
import { llmsTxtFor } from "@/lib/catalog/markdown";
import { markdownResponse } from "@/lib/http/markdown";

export const GET = withErrors(async () => markdownResponse(await llmsTxtFor(await getCaller()), "text/plain"));
