// POST /api/notifications/unsubscribe?u=&c=&t= – one-click unsubscribe (RFC 8058) from one email category, without signing in
// GET – the same link opened by a mail app that only knows RFC 2369: sent to the page that asks first
import { NextResponse } from "next/server";
import { parseInput, withErrors } from "@/lib/api/route";
import { unsubscribe, unsubscribeInput } from "@/lib/notifications";

/**
 * Mail apps POST here from the List-Unsubscribe header (body `List-Unsubscribe=One-Click`), and the
 * unsubscribe page's button does too. The signed link is the authority, so there is no session or
 * same-origin check; it can only ever switch one category of email off for the person it names.
 */
export const POST = withErrors(async (request) => {
  const query = Object.fromEntries(["u", "c", "t"].map((name) => [name, request.nextUrl.searchParams.get(name) ?? undefined]));
  const link = parseInput(unsubscribeInput, query);
  const category = await unsubscribe(link);
  // The page's form wants to land back on the page; a mail app only needs the status.
  if (request.headers.get("accept")?.includes("text/html")) {
    return new Response(null, { status: 303, headers: { location: `/notifications/unsubscribe?${new URLSearchParams({ ...link, done: "1" })}` } });
  }
  return NextResponse.json({ unsubscribed: category });
});

/** A GET never changes anything (link scanners follow links): it shows the page with its Unsubscribe button. */
export const GET = withErrors(async (request) => {
  const query = new URLSearchParams(
    ["u", "c", "t"].flatMap((name) => {
      const v = request.nextUrl.searchParams.get(name);
      return v === null ? [] : [[name, v]];
    }),
  );
  return new Response(null, { status: 303, headers: { location: `/notifications/unsubscribe?${query}` } });
});
