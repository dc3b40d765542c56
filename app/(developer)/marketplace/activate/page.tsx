// /marketplace/activate – where an AWS Marketplace buyer lands (from /marketplace/confirm), signs in
// or registers, sees what they bought and activates it — for themself, or for a team they own or administer.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { ActivatePurchase } from "@/components/access/activate-purchase";
import { CARD } from "@/components/access/styles";
import { PlanTermsList } from "@/components/catalog/plan-terms";
import { requireUser } from "@/lib/auth";
import { getCatalog, getCatalogFor, getMarketplaceProduct } from "@/lib/catalog/read";
import { LANDING_COOKIE, LANDING_MESSAGES, readLanding, type Landing } from "@/lib/marketplace";
import { can, readMemberships } from "@/lib/teams";

export const metadata: Metadata = { title: "Set up your AWS Marketplace purchase" };

const AWS_MARKETPLACE = "https://aws.amazon.com/marketplace";

/** What /marketplace/confirm may report in `?problem=`; anything else is ignored. */
const PROBLEMS = new Set<keyof typeof LANDING_MESSAGES>(["invalid-token", "expired-token", "unavailable"]);
const isProblem = (value: unknown): value is keyof typeof LANDING_MESSAGES => typeof value === "string" && PROBLEMS.has(value as keyof typeof LANDING_MESSAGES);

export default async function ActivatePage({ searchParams }: { searchParams: Promise<{ problem?: string | string[]; discarded?: string | string[] }> }) {
  const { problem, discarded } = await searchParams;
  // What can't be set up is explained before sign-in: there would be nothing to sign in for.
  if (isProblem(problem)) return <Problem problem={problem} />;
  const landing = await readLanding((await cookies()).get(LANDING_COOKIE)?.value);
  if (!landing && discarded === "1") return <Discarded />;
  if (!landing) return <Problem problem="missing" />;
  const product = await getMarketplaceProduct(landing.productCode);
  if (!product) return <Problem problem="no-plan" />;

  // The purchase waits (in the HttpOnly cookie) while the buyer signs in or registers and comes back.
  const caller = await requireUser("/marketplace/activate");

  // The buyer paid for the plan whatever its visibility; link only the API pages they may open.
  const [catalog, visible, memberships] = await Promise.all([getCatalog(), getCatalogFor(caller), readMemberships(caller.user.id)]);
  // The teams the purchase may belong to instead: those whose keys and subscriptions the buyer manages (the server checks again).
  const teams = memberships
    .filter((m) => can(m.role, "manageAccess"))
    .sort((a, b) => a.teamName.localeCompare(b.teamName))
    .map((m) => ({ slug: m.teamSlug, name: m.teamName, role: m.role === "owner" ? ("owner" as const) : ("admin" as const) }));
  const entry = catalog.products.find((p) => p.slug === product.productSlug);
  const visibleApis = new Set(visible.apis.map((api) => api.slug));
  const apis = (entry?.apiSlugs ?? []).flatMap((slug) => {
    const api = catalog.apis.find((a) => a.slug === slug);
    return api ? [{ name: api.name, stage: api.stage, ...(visibleApis.has(slug) ? { href: `/apis/${slug}` } : {}) }] : [];
  });

  return (
    <article className="mx-auto flex max-w-2xl flex-col gap-6">
      <header>
        <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">AWS Marketplace</p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight">You bought {product.productName} on AWS Marketplace</h1>
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">
          Activate it to link the purchase to the account you&apos;re signed in with
          {caller.user.email ? (
            <>
              , <span className="font-medium text-zinc-800 dark:text-zinc-200">{caller.user.email}</span>
            </>
          ) : null}
          {teams.length > 0 ? ", or to a team you manage" : ""}. Its key starts working as soon as AWS Marketplace confirms the subscription.
        </p>
      </header>
      <section aria-labelledby="purchase" className={`p-5 ${CARD}`}>
        <h2 id="purchase" className="mb-3 text-lg font-semibold">
          The purchase
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm" data-testid="purchase-details">
          <dt className="text-zinc-600 dark:text-zinc-400">Product</dt>
          <dd className="font-medium">{product.productName}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Bought by</dt>
          <dd className="font-medium whitespace-nowrap">{buyerLabel(landing)}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Arrived here</dt>
          <dd className="font-medium">
            <time dateTime={landing.landedAt}>{arrivedLabel(landing.landedAt)}</time>
          </dd>
        </dl>
        <p className="mt-4 text-sm text-zinc-700 dark:text-zinc-300">
          Only activate a purchase you made yourself, just now, from that AWS account. If you didn&apos;t, choose{" "}
          <span className="font-medium">Not my purchase</span>: another site may have sent it to this browser.
        </p>
      </section>
      {entry && (
        <section aria-labelledby="terms" className={`p-5 ${CARD}`}>
          <h2 id="terms" className="mb-3 text-lg font-semibold">
            {product.productName} plan
          </h2>
          <PlanTermsList plan={entry.plan} apis={apis} />
        </section>
      )}
      {landing.freeTrial && (
        <p className="rounded-lg border border-brand-600/30 bg-brand-50 px-4 py-3 text-sm text-zinc-800 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-200">
          <span className="font-semibold">Free trial: </span>
          you accepted a free trial offer. AWS Marketplace bills according to that offer when the trial ends; you can cancel it there.
        </p>
      )}
      <ActivatePurchase productName={product.productName} you={caller.user.email ?? null} teams={teams} />
    </article>
  );
}

/** The buying AWS account as AWS writes it (1234-5678-9012), or the Marketplace customer id of older listings. */
function buyerLabel(landing: Landing): string {
  const account = landing.customerAWSAccountId;
  if (account && /^\d{12}$/.test(account)) return `AWS account ${account.slice(0, 4)}-${account.slice(4, 8)}-${account.slice(8)}`;
  return `AWS Marketplace customer ${landing.customerIdentifier ?? account ?? "(unknown)"}`;
}

function arrivedLabel(landedAt: string): string {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(landedAt)) / 60_000));
  const time = new Date(landedAt).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${time} UTC (${minutes === 0 ? "just now" : minutes === 1 ? "1 minute ago" : `${minutes} minutes ago`})`;
}

/** After "Not my purchase": nothing was linked, and nothing more to do here. */
function Discarded() {
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-4">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">AWS Marketplace</p>
      <h1 className="text-3xl font-bold tracking-tight">Purchase discarded</h1>
      <p role="status" data-testid="marketplace-discarded" className="text-zinc-700 dark:text-zinc-300">
        Nothing was linked to your account. If it was your purchase after all, open it in AWS Marketplace and choose “Set up your account” again.
      </p>
      <div>
        <Link href="/dashboard" className="focus-ring inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Go to your dashboard
        </Link>
      </div>
    </div>
  );
}

/** A purchase that can't be set up here: what happened, in words, and where to go. */
function Problem({ problem }: { problem: keyof typeof LANDING_MESSAGES }) {
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-4">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">AWS Marketplace</p>
      <h1 className="text-3xl font-bold tracking-tight">We couldn&apos;t set up your purchase</h1>
      <p
        role="alert"
        data-testid="marketplace-problem"
        className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
      >
        {LANDING_MESSAGES[problem]}
      </p>
      <div className="flex flex-wrap gap-3">
        <a href={AWS_MARKETPLACE} className="focus-ring rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Open AWS Marketplace
        </a>
        <Link
          href="/"
          className="focus-ring rounded-md border border-zinc-300 px-4 py-2 font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          Go home
        </Link>
      </div>
    </div>
  );
}
