import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const { user } = await requireUser("/dashboard");
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Dashboard</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">Welcome, {user.name ?? user.email}.</p>
      <section aria-labelledby="next-steps" className="mt-8 rounded-xl border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="next-steps" className="text-lg font-semibold">Next steps</h2>
        <ol className="mt-3 list-decimal space-y-2 pl-5 text-zinc-700 dark:text-zinc-300">
          <li>
            <Link href="/apis" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
              Browse the APIs
            </Link>{" "}
            and pick a plan.
          </li>
          <li>Create an API key and call the API with the <code className="rounded bg-zinc-100 px-1 font-mono text-sm dark:bg-zinc-800">x-api-key</code> header.</li>
          <li>
            Manage your{" "}
            <Link href="/account" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
              account and sessions
            </Link>
            .
          </li>
        </ol>
      </section>
    </div>
  );
}
