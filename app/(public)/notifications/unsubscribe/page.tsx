import type { Metadata } from "next";
import Link from "next/link";
import { AppError } from "@/lib/errors";
import { CATEGORIES, unsubscribeInput, verifyUnsubscribe } from "@/lib/notifications";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false } };

/**
 * The page an email's "Unsubscribe" link opens: it asks before switching anything off (link
 * scanners follow links; they don't press buttons). Mail apps that offer one-click unsubscribe
 * POST to /api/notifications/unsubscribe directly (the email's List-Unsubscribe header).
 */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const parsed = unsubscribeInput.safeParse({ u: params.u, c: params.c, t: params.t });
  const link = parsed.success ? verified(parsed.data) : undefined;
  const done = params.done === "1";
  return (
    <div className="mx-auto max-w-md rounded-xl border border-zinc-200 p-8 shadow-sm dark:border-zinc-800">
      {!link ? (
        <>
          <h1 className="text-2xl font-bold">This link doesn&apos;t work</h1>
          <p role="alert" className="mt-2 text-zinc-600 dark:text-zinc-400">
            It may have been cut short by your mail app. Use the link in the newest email, or choose what you hear about in your{" "}
            <Link href="/dashboard/notifications" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
              notification settings
            </Link>
            .
          </p>
        </>
      ) : done ? (
        <>
          <h1 className="text-2xl font-bold">You&apos;re unsubscribed</h1>
          <p role="status" className="mt-2 text-zinc-600 dark:text-zinc-400">
            You won&apos;t get emails about <strong>{CATEGORIES[link.c].label.toLowerCase()}</strong> any more. Other emails and your webhooks are unchanged.
          </p>
          <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
            Changed your mind? Switch it back on in your{" "}
            <Link href="/dashboard/notifications" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
              notification settings
            </Link>
            .
          </p>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-bold">Stop these emails?</h1>
          <p className="mt-2 text-zinc-600 dark:text-zinc-400">
            You&apos;ll no longer get emails about <strong>{CATEGORIES[link.c].label.toLowerCase()}</strong>: {CATEGORIES[link.c].description}
          </p>
          <form method="post" action={`/api/notifications/unsubscribe?${new URLSearchParams({ u: link.u, c: link.c, t: link.t })}`} className="mt-6">
            <button type="submit" className="focus-ring w-full rounded-md bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700">
              Unsubscribe
            </button>
          </form>
        </>
      )}
    </div>
  );
}

function verified(link: { u: string; c: keyof typeof CATEGORIES; t: string }) {
  try {
    verifyUnsubscribe(link);
    return link;
  } catch (error) {
    if (error instanceof AppError) return undefined;
    throw error;
  }
}
