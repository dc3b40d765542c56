// GET /md/… – the Markdown twin of a docs page. Reached by proxy.ts's rewrite of `<page>.md`, of
// `/apis/<api>/llms-full.txt` and of a docs page asked for with `Accept: text/markdown`.
import { withErrors } from "@/lib/api/route";
import { getCaller } from "@/lib/auth";
import { markdownFor } from "@/lib/catalog/markdown";
import { markdownResponse } from "@/lib/http/markdown";

export const GET = withErrors<{ path: string[] }>(async (_request, { params }) => {
  const { path } = await params;
  const text = await markdownFor(path, await getCaller());
  return markdownResponse(text, path.at(-1) === "llms-full.txt" ? "text/plain" : "text/markdown");
});
