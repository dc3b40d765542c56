// POST /marketplace/confirm – AWS Marketplace's fulfillment URL: the buyer's browser posts a form
// with `x-amzn-marketplace-token`. Resolved now; the buyer continues at /marketplace/activate.
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { acceptRegistrationToken, LANDING_COOKIE, LANDING_TTL_SECONDS, LandingError, type LandingProblem } from "@/lib/marketplace";

const ACTIVATE = "/marketplace/activate";

function redirectTo(problem?: LandingProblem): NextResponse {
  const url = new URL(ACTIVATE, getConfig().AUTH_URL);
  if (problem) url.searchParams.set("problem", problem);
  // 303: the browser follows with a GET, so the form is not posted again on reload.
  return NextResponse.redirect(url, 303);
}

/** Also serves the legacy /marketplace-confirm/{usagePlanId} (the plan comes from the product code either way). */
export async function POST(request: NextRequest): Promise<Response> {
  // This POST comes from AWS Marketplace's site by design, so there is no same-origin check; the
  // token itself is the proof, and it is only ever sent to ResolveCustomer.
  const form = await request.formData().catch(() => undefined);
  const token = form?.get("x-amzn-marketplace-token");
  if (typeof token !== "string" || !token || token.length > 4096) return redirectTo("invalid-token");
  try {
    const handle = await acceptRegistrationToken(token, { freeTrial: form?.get("x-amzn-marketplace-offer-type") === "free-trial" });
    const response = redirectTo();
    response.cookies.set(LANDING_COOKIE, handle, {
      httpOnly: true,
      sameSite: "lax",
      secure: new URL(getConfig().AUTH_URL).protocol === "https:",
      path: "/",
      maxAge: LANDING_TTL_SECONDS,
    });
    return response;
  } catch (error) {
    if (error instanceof LandingError) return redirectTo(error.problem);
    console.error("[marketplace] landing failed:", (error as Error).name);
    return redirectTo("unavailable");
  }
}

export function GET(): Response {
  return redirectTo();
}
