import { docsPages, docsRoute } from "@/lib/docs";

/** A tag's reference page: a plain HTML document (lib/docs), not an App Router page. */
export const GET = docsRoute(docsPages.tag);
