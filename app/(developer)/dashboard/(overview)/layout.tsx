import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth";

/**
 * Checks the session above loading.tsx's Suspense boundary, so a signed-out visitor gets a real
 * 307 to sign-in instead of a streamed page that redirects on the client.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  await requireUser("/dashboard");
  return children;
}
