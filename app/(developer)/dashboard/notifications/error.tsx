"use client";

import { LoadError } from "@/components/ui/load-error";

/** When the developer's notification settings or delivery log can't be read. */
export default function NotificationsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <LoadError title="Notifications" what="Your notification settings" reset={reset} />;
}
