import { docsPages, docsRoute } from "@/components/docs/docs-route";

/** A tag's reference page: a plain HTML document (components/docs/docs-route.tsx), not an App Router page. */
export const GET = docsRoute(docsPages.tag);
