// GET /llms-full.txt – every listed API's reference as one Markdown text, capped (lib/catalog/markdown.ts).
import { withErrors } from "@/lib/api/route";
import { getCaller } from "@/lib/auth";
import { llmsFullTxtFor } from "@/lib/catalog/markdown";
import { markdownResponse } from "@/lib/http/markdown";

export const GET = withErrors(async () => markdownResponse(await llmsFullTxtFor(await getCaller()), "text/plain"));
