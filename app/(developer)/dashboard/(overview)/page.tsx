import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { DeleteAccount } from "@/components/access/delete-account";
import { KeyList } from "@/components/access/key-list";
import { PlanAction } from "@/components/access/plan-action";
import { SubscriptionList } from "@/components/access/subscription-list";
import { CARD, LINK } from "@/components/access/styles";
import { UsagePanel } from "@/components/access/usage-panel";
import { ProductHeading } from "@/components/catalog/product-heading";
import { PlanTermsList } from "@/components/catalog/plan-terms";
import type { KeyAllowance } from "@/lib/access/types";
import { requireUser } from "@/lib/auth";
import { getDashboard, type NextStep } from "@/lib/dashboard";

export const metadata: Metadata = { title: "Dashboard" };

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Why fewer keys count than the list shows: " · 1 rotated key in its grace period doesn't count". */
function allowanceNote({ retiring, marketplace }: KeyAllowance): string {
  const notes = [
    ...(retiring ? [`${retiring} rotated ${plural(retiring, "key in its grace period doesn't", "keys in their grace period don't")} count`] : []),
    ...(marketplace ? [`${marketplace} AWS Marketplace ${plural(marketplace, "key doesn't", "keys don't")} count`] : []),
  ];
  return notes.map((note) => ` · ${note}`).join("");
}

export default async function DashboardPage() {
  const caller = await requireUser("/dashboard");
  const { standing, nextStep, keys, allowance, planNames, closedPlans, hasMarketplaceKey, subscriptions, plans, usage } = await getDashboard(caller);

  return (
    <div className="flex flex-col gap-12">
      <header>
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

      <section aria-labelledby="api-keys" className="scroll-mt-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="api-keys" className="text-xl font-semibold">
            API keys
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {allowance.used} of {allowance.max} keys{allowanceNote(allowance)}
          </p>
        </div>
        <p className="mt-1 mb-4 text-sm text-zinc-600 dark:text-zinc-400">
          Each key works with every API your active plans cover. Send it in the{" "}
          <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">x-api-key</code> header.
          {hasMarketplaceKey && " A key bought on AWS Marketplace works with that plan only."}
        </p>
        <KeyList keys={keys} allowance={allowance} planNames={planNames} closedPlans={closedPlans} />
      </section>

      <section aria-labelledby="subscriptions">
        <h2 id="subscriptions" className="mb-4 text-xl font-semibold">
          Subscriptions
        </h2>
        {subscriptions.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            You&apos;re not subscribed to any plan yet. Pick one below or{" "}
            <Link href="/apis" className={LINK}>
              browse the APIs
            </Link>
            .
          </p>
        ) : (
          <SubscriptionList items={subscriptions} />
        )}
      </section>

      <section aria-labelledby="available-plans" className="scroll-mt-6">
        <h2 id="available-plans" className="mb-4 text-xl font-semibold">
          Available plans
        </h2>
        {plans.length === 0 ? (
          <p className="text-zinc-600 dark:text-zinc-400">No plans are available to you yet.</p>
        ) : (
          // Every plan keeps its card, in catalog order, whatever its state: nothing moves under the pointer after a click.
          <ul className="grid gap-4 md:grid-cols-2">
            {plans.map(({ product, apis, offer, subscription }) => (
              <li key={product.slug} className={`flex flex-col gap-4 p-5 ${CARD}`}>
                <div>
                  <ProductHeading product={product} />
                </div>
                <PlanTermsList plan={product.plan} apis={apis.map((api) => ({ name: api.name, stage: api.stage, href: `/apis/${api.slug}` }))} />
                {/* Placed after the card's own content, not at the row's bottom: another card growing can't move it. */}
                {offer && <PlanAction product={{ slug: product.slug, name: product.name }} offer={offer} subscription={subscription} />}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="usage">
        <h2 id="usage" className="mb-4 text-xl font-semibold">
          Usage
        </h2>
        {usage.length === 0 ? (
          <p className="text-zinc-600 dark:text-zinc-400">Usage shows up here once you have an active subscription.</p>
        ) : (
          <div className="flex flex-col gap-6">
            {usage.map((item) => (
              <UsagePanel key={item.planId} subscription={item} />
            ))}
          </div>
        )}
      </section>

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
