import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AccessSections } from "@/components/access/access-sections";
import { DeleteAccount } from "@/components/access/delete-account";
import { SpaceSwitcher } from "@/components/access/space-switcher";
import { LINK } from "@/components/access/styles";
import { requireUser } from "@/lib/auth";
import { getDashboard, type NextStep } from "@/lib/dashboard";
import { readMemberships } from "@/lib/teams";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const caller = await requireUser("/dashboard");
  // The plans offered here are the person's own to take: none shown to their teams only (lib/teams/space.ts).
  const [dashboard, memberships] = await Promise.all([getDashboard({ ...caller, teams: [] }, caller.user.id), readMemberships(caller.user.id)]);
  const { standing, nextStep } = dashboard;

  return (
    <div className="flex flex-col gap-12">
      <header>
        <SpaceSwitcher current={null} teams={memberships.map((m) => ({ slug: m.teamSlug, name: m.teamName }))} />
        <h1 className="text-3xl font-bold tracking-tight">Dashboard</h1>
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">
          Welcome, {caller.user.name ?? caller.user.email}. Manage your API keys, plans and usage here; scripts and AI agents that manage them for you use{" "}
          <Link href="/dashboard/tokens" className={LINK}>
            portal tokens
          </Link>
          . Choose which alerts you get by email and webhook in{" "}
          <Link href="/dashboard/notifications" className={LINK}>
            notifications
          </Link>
          . These are your own keys; keys you share with colleagues live in{" "}
          <Link href="/teams" className={LINK}>
            teams
          </Link>
          .
        </p>
        {standing === "pending" ? (
          <p
            role="status"
            data-testid="awaiting-approval"
            className="mt-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            Your account is waiting for an administrator&apos;s approval. You can browse the APIs now; you&apos;ll be able to create keys and subscribe once
            it&apos;s approved.
          </p>
        ) : (
          <NextStepLine step={nextStep} />
        )}
      </header>

      <AccessSections dashboard={dashboard} />

      {caller.user.email ? (
        <DeleteAccount email={caller.user.email} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Your account has no email address, so it can&apos;t be deleted from here. Ask the API team to delete it.
        </p>
      )}
    </div>
  );
}

const NEXT_STEPS: Record<NextStep, ReactNode> = {
  "await-marketplace": <>Your AWS Marketplace key starts working as soon as AWS Marketplace confirms the subscription.</>,
  "create-key": (
    <>
      You&apos;re subscribed: now{" "}
      <a href="#api-keys" className={LINK}>
        create an API key
      </a>{" "}
      to call the APIs.
    </>
  ),
  "create-key-while-pending": (
    <>
      While the API team reviews your request,{" "}
      <a href="#api-keys" className={LINK}>
        create an API key
      </a>
      : it starts working when they approve.
    </>
  ),
  "subscribe-then-create-key": (
    <>
      <a href="#available-plans" className={LINK}>
        Subscribe to a plan
      </a>
      , then create an API key.
    </>
  ),
  "await-approval": <>Your keys start working once the API team approves your request.</>,
  subscribe: (
    <>
      Your keys don&apos;t work with any API yet:{" "}
      <a href="#available-plans" className={LINK}>
        subscribe to a plan
      </a>{" "}
      to use them.
    </>
  ),
};

/** One line on what to do next, while keys or subscriptions are missing. */
function NextStepLine({ step }: { step?: NextStep }) {
  if (!step) return null;
  return (
    <p className="mt-6 rounded-lg border border-brand-600/30 bg-brand-50 px-4 py-3 text-sm text-zinc-800 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-200">
      <span className="font-semibold">Next step: </span>
      {NEXT_STEPS[step]}
    </p>
  );
}
