import type { Metadata } from "next";
import { revokeOtherSessionsAction, revokeSessionAction } from "@/app/actions/sessions";
import { ActionForm } from "@/components/ui/action-form";
import { requireUser } from "@/lib/auth";
import { listSessions } from "@/lib/auth/sessions";

export const metadata: Metadata = { title: "Account" };

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function AccountPage() {
  const { user, isAdmin } = await requireUser("/account");
  const sessions = await listSessions(user.id);
  return (
    <div className="max-w-3xl">
      <h1 className="text-3xl font-bold tracking-tight">Account</h1>
      <dl className="mt-6 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
        <dt className="text-zinc-500 dark:text-zinc-400">Name</dt>
        <dd>{user.name ?? "—"}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Email</dt>
        <dd>{user.email ?? "—"}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Role</dt>
        <dd>{isAdmin ? "Administrator" : "Developer"}</dd>
      </dl>

      <section aria-labelledby="sessions" className="mt-10">
        <div className="flex items-center justify-between gap-4">
          <h2 id="sessions" className="text-xl font-semibold">
            Signed-in sessions
          </h2>
          {sessions.length > 1 && (
            <ActionForm action={revokeOtherSessionsAction}>
              <button
                type="submit"
                className="focus-ring rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
              >
                Sign out all other sessions
              </button>
            </ActionForm>
          )}
        </div>
        <ul className="mt-4 divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 text-sm">
              <div>
                <p className="font-medium">
                  {session.current ? "This browser" : "Another browser"}{" "}
                  {session.current && (
                    <span className="ml-1 rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200">
                      current
                    </span>
                  )}
                </p>
                <p className="text-zinc-600 dark:text-zinc-400">Expires {dateTime.format(session.expires)} UTC</p>
              </div>
              {!session.current && (
                <ActionForm action={revokeSessionAction} className="flex shrink-0 flex-col items-end">
                  <input type="hidden" name="sessionId" value={session.id} />
                  <button
                    type="submit"
                    aria-label={`Sign out the other browser (expires ${dateTime.format(session.expires)} UTC)`}
                    className="focus-ring whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
                  >
                    Sign out
                  </button>
                </ActionForm>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
