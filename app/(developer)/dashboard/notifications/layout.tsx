import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth";

/** As the dashboard's: the session is checked above loading.tsx, so a signed-out visitor gets a 307 that comes back here. */
export default async function NotificationsLayout({ children }: { children: ReactNode }) {
  await requireUser("/dashboard/notifications");
  return children;
}
