// `npm run dev`: requests the portal's main pages once `next dev` is up, so each is compiled before a
// person asks for it. Pages are found by following links from the home page and the API list (the
// first API and its first operation), so the list follows the catalog. Pages that fail are reported
// (Next prints why); nothing else depends on this.
import type { ChildProcess } from "node:child_process";

/** Fixed pages beside the ones found by links; /dashboard compiles even when it redirects. */
const PAGES = ["/", "/apis", "/signin", "/dashboard", "/api/auth/providers"];
const GIVE_UP_MS = 5 * 60_000;

export interface WarmUp {
  /** Pages that answered 500 or worse (a redirect or a 4xx is a page working as meant). */
  failed: { page: string; status: number }[];
}

/** Resolves once every page answered, or with undefined if Next went away first. */
export async function warmUp(origin: string, next: ChildProcess, pages = PAGES): Promise<WarmUp | undefined> {
  const started = performance.now();
  const gone = () => next.exitCode !== null || next.signalCode !== null;
  const queue = [...pages];
  const seen = new Set<string>();
  const failed: WarmUp["failed"] = [];
  while (queue.length > 0) {
    const page = queue.shift()!;
    if (seen.has(page)) continue;
    seen.add(page);
    const answer = await fetchPage(origin + page, started, gone);
    if (answer === undefined) return undefined;
    if (answer.status >= 500) failed.push({ page, status: answer.status });
    if (page === "/apis") queue.push(...firstLink(answer.html, /href="(\/apis\/[^/"?#]+)"/));
    if (/^\/apis\/[^/]+$/.test(page)) queue.push(...firstLink(answer.html, /href="(\/apis\/[^/"]+\/operations\/[^/"?#]+)"/));
  }
  return { failed };
}

/** GETs `url`, retrying while `next dev` drops connections it isn't ready to serve; undefined if Next is gone. */
async function fetchPage(url: string, started: number, gone: () => boolean): Promise<{ status: number; html: string } | undefined> {
  for (;;) {
    if (gone() || performance.now() - started > GIVE_UP_MS) return undefined;
    try {
      const res = await fetch(url, { redirect: "manual", headers: { accept: "text/html" } });
      return { status: res.status, html: await res.text() };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const firstLink = (html: string, pattern: RegExp): string[] => {
  const href = pattern.exec(html)?.[1];
  return href ? [href.replaceAll("&amp;", "&")] : [];
};
