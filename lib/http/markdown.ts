import { HSTS, servedSecurely } from "./csp";

const encoder = new TextEncoder();

/**
 * A Markdown twin or llms.txt as a response. What a reader may see depends on their session and the
 * same URL answers HTML or Markdown by `Accept` (proxy.ts): never shared, varies by both.
 */
export function markdownResponse(text: string, type: "text/markdown" | "text/plain"): Response {
  const headers = new Headers({
    "content-type": `${type}; charset=utf-8`,
    "cache-control": "private, no-cache",
    vary: "Accept, Cookie",
    "x-content-type-options": "nosniff",
    // Text, never a document to run: nothing may load from it.
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  });
  if (servedSecurely()) headers.set("strict-transport-security", HSTS);
  return new Response(encoder.encode(text) as BodyInit, { headers });
}

/** `Accept` names text/markdown, and not text/html before it (browsers send text/html first). */
export function prefersMarkdown(accept: string | null): boolean {
  if (!accept) return false;
  const types = accept
    .toLowerCase()
    .split(",")
    .map((part) => {
      const [type, ...params] = part.split(";").map((s) => s.trim());
      const q = params.find((p) => p.startsWith("q="));
      return { type, q: q ? Number(q.slice(2)) || 0 : 1 };
    });
  const markdown = types.find((t) => t.type === "text/markdown");
  if (!markdown || markdown.q <= 0) return false;
  const html = types.find((t) => t.type === "text/html");
  return !html || markdown.q > html.q || (markdown.q === html.q && types.indexOf(markdown) < types.indexOf(html));
}
