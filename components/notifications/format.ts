import { dateTime } from "@/components/access/time";
import type { DeliveryView, EndpointView } from "@/lib/notifications";

// What the notifications page says about endpoints and deliveries (server and client: no hooks).
// Times are fixed to UTC, as on the tokens page, so the server's HTML and the browser agree.

export type { DeliveryView, EndpointView };
export type DeliveryState = DeliveryView["state"];

export const formatTime = (iso: string) => `${dateTime.format(new Date(iso))} UTC`;

export const BADGE = "inline-block rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap";

export const STATE_STYLE: Record<DeliveryState | EndpointView["state"], string> = {
  sent: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  enabled: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  sending: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  disabled: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  skipped: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

export const STATE_LABEL: Record<DeliveryState, string> = {
  sent: "Sent",
  pending: "Pending",
  sending: "Sending",
  failed: "Failed",
  skipped: "Skipped",
};

/** "200", "503", "accepted by SES" or a transport error: the status as the log stores it, with a word for HTTP codes. */
export function describeStatus(status: string): string {
  if (!/^\d{3}$/.test(status)) return status;
  const code = Number(status);
  return code >= 200 && code < 300 ? `HTTP ${status} (OK)` : `HTTP ${status}`;
}

/** One line on how a delivery went, for the test result and screen readers. */
export function deliverySummary(delivery: DeliveryView): string {
  const status = delivery.status ? ` with ${describeStatus(delivery.status)}` : "";
  switch (delivery.state) {
    case "sent":
      return `Sent${status}.`;
    case "pending":
      return `Not delivered yet${status}${delivery.error ? `: ${delivery.error}` : ""}. It will be retried${delivery.nextAttemptAt ? ` at ${formatTime(delivery.nextAttemptAt)}` : ""}.`;
    case "sending":
      return "Being sent now.";
    case "failed":
      return `Failed${status}${delivery.error ? `: ${delivery.error}` : ""}.`;
    case "skipped":
      return `Skipped${delivery.error ? `: ${delivery.error}` : ""}.`;
  }
}
