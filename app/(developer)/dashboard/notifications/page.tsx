import type { Metadata } from "next";
import Link from "next/link";
import { LINK } from "@/components/access/styles";
import { NotificationCenter } from "@/components/notifications/notification-center";
import { requireUser } from "@/lib/auth";
import { allowPrivateTargets } from "@/lib/webhooks/settings";
import { CATEGORIES, CATEGORY_NAMES, emailSettings, listDeliveries, listEndpoints, MAX_ENDPOINTS, readPreferences } from "@/lib/notifications";

export const metadata: Metadata = { title: "Notifications" };

/** What the developer hears about and where: email and webhook preferences, webhook endpoints, and the delivery log. */
export default async function NotificationsPage() {
  const caller = await requireUser("/dashboard/notifications");
  const { user } = caller;
  const [preferences, endpoints, deliveries] = await Promise.all([readPreferences(user.id), listEndpoints(user.id), listDeliveries(user.id)]);
  // Administration notices concern administrators only: nobody else is offered the switch. Team invitations go to the
  // address invited, whatever anyone's preferences: there is no switch for them.
  const categories = CATEGORY_NAMES.filter((name) => name !== "invitations" && (name !== "admin" || caller.isAdmin)).map((name) => ({
    name,
    ...CATEGORIES[name],
  }));
  const mailReady = Boolean(emailSettings());

  return (
    <div className="flex max-w-4xl flex-col gap-10">
      <header>
        <nav aria-label="Breadcrumb" className="mb-2 text-sm">
          <ol className="flex flex-wrap gap-2 text-zinc-600 dark:text-zinc-400">
            <li>
              <Link href="/dashboard" className="focus-ring rounded hover:underline">
                Dashboard
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li aria-current="page" className="font-medium text-zinc-800 dark:text-zinc-200">
              Notifications
            </li>
          </ol>
        </nav>
        <h1 className="text-3xl font-bold tracking-tight">Notifications</h1>
        <div className="mt-3 flex flex-col gap-2 text-zinc-600 dark:text-zinc-400">
          <p>
            You hear from this portal when a key nears or reaches its plan&apos;s quota, when a key is created, rotated or about to stop working, and when a
            request is decided, by email and by signed webhooks to your own endpoints. Quota and security notices matter most: keep them on.
          </p>
          <p>
            Keys and usage are on your{" "}
            <Link href="/dashboard" className={LINK}>
              dashboard
            </Link>
            .
          </p>
          {!mailReady && (
            <p className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
              Email isn&apos;t set up on this portal yet: email notices are logged as skipped. Webhooks work.
            </p>
          )}
        </div>
      </header>

      <NotificationCenter
        preferences={preferences}
        categories={categories}
        email={user.email}
        endpoints={endpoints}
        maxEndpoints={MAX_ENDPOINTS}
        allowPrivateTargets={allowPrivateTargets()}
        deliveries={deliveries}
      />
    </div>
  );
}
