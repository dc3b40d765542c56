// `npm run dev`: requests the portal's main pages once `next dev` is up, so each is compiled before a
// person asks for it. Pages are found by following links from the home page and the API list (the
// first API and its first operation), so the list follows the catalog. Failures are ignored: this
// only saves time.
import type { ChildProcess } from "node:child_process";

/** Fixed pages beside the ones found by links; /dashboard compiles even when it redirects. */
const PAGES = ["/", "/apis", "/signin", "/dashboard", "/api/auth/providers"];
const GIVE_UP_MS = 5 * 60_000;

/** Resolves with the seconds it took once every page answered, or undefined if Next went away first. */
export async function warmUp(origin: string, next: ChildProcess, pages = PAGES): Promise<number | undefined> {
  const started = performance.now();
  const gone = () => next.exitCode !== null || next.signalCode !== null;
  const queue = [...pages];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const page = queue.shift()!;
    if (seen.has(page)) continue;
    seen.add(page);
    const html = await fetchPage(origin + page, started, gone);
    if (html === undefined) return undefined;
    if (page === "/apis") queue.push(...firstLink(html, /href="(\/apis\/[^/"?#]+)"/));
    if (/^\/apis\/[^/]+$/.test(page)) queue.push(...firstLink(html, /href="(\/apis\/[^/"]+\/operations\/[^/"?#]+)"/));
  }
  return (performance.now() - started) / 1000;
}

/** GETs `url`, retrying while `next dev` drops connections it isn't ready to serve; the body, or undefined if Next is gone. */
async function fetchPage(url: string, started: number, gone: () => boolean): Promise<string | undefined> {
  for (;;) {
    if (gone() || performance.now() - started > GIVE_UP_MS) return undefined;
    try {
      const res = await fetch(url, { redirect: "manual", headers: { accept: "text/html" } });
      return await res.text();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const firstLink = (html: string, pattern: RegExp): string[] => {
  const href = pattern.exec(html)?.[1];
  return href ? [href.replaceAll("&amp;", "&")] : [];
};
