import { NextResponse, type NextRequest } from "next/server";
import { AppError, toErrorBody } from "../errors";
import { clientIp, enforcePortalLimit } from "../limits/portal";

/**
 * Sign-in and sign-up starts (the sign-in page's button, /register, Auth.js's own POST
 * /api/auth/signin/*) each send the browser to Cognito: they count against the per-IP `signIn`
 * limit (stage setting `limits.portal.signIn`), before anything else happens.
 *
 * Past it: HTTP 429 with Retry-After for everyone; a browser (it asks for HTML) gets a short page
 * saying what happened and how long to wait, anything else the usual `{ error: { code, message } }`.
 * `back` is where the page's link goes (a same-site path).
 */
export async function refuseSignInStart(request: NextRequest, back = "/signin"): Promise<Response | undefined> {
  try {
    await enforcePortalLimit("signIn", { ip: clientIp(request.headers) });
    return undefined;
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") return rateLimitedResponse(request, error, back);
    throw error;
  }
}

/** A 429 as a person or a script wants it (see refuseSignInStart). */
function rateLimitedResponse(request: NextRequest, error: AppError, back: string): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store", "Retry-After": String(error.retryAfterSeconds ?? 1) };
  const { status, body } = toErrorBody(error);
  if (!wantsHtml(request)) return NextResponse.json(body, { status, headers });
  return new Response(page(error.message, back), { status, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

/** Browsers ask for HTML when they navigate (a form post, a link); fetch() and scripts don't. */
const wantsHtml = (request: NextRequest) => /\btext\/html\b/.test(request.headers.get("accept") ?? "");

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A self-contained page (no script, no stylesheet to load): it must read well even while the portal is being hammered. */
function page(message: string, back: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Too many sign-in attempts</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; padding: 4rem 1.5rem; }
main { max-width: 28rem; margin: 0 auto; padding: 2rem; border: 1px solid #d4d4d8; border-radius: 0.75rem; }
h1 { margin: 0 0 1rem; font-size: 1.5rem; }
p { line-height: 1.5; }
a { font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>Too many sign-in attempts</h1>
<p role="alert" data-testid="rate-limited">${escapeHtml(message)}</p>
<p><a href="${escapeHtml(back)}">Back to sign in</a></p>
</main>
</body>
</html>
`;
}
