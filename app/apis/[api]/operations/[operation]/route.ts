import { docsPages, docsRoute } from "@/lib/docs";

/** An operation's reference page: a plain HTML document (lib/docs), not an App Router page. */
export const GET = docsRoute(docsPages.operation);
