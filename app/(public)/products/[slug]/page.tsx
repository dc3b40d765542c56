import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PENDING_NOTE, StateBadge } from "@/components/access/state-badge";
import { SubscribeButton } from "@/components/access/subscribe-button";
import { PlanTermsList } from "@/components/catalog/plan-terms";
import { Markdown } from "@/components/ui/markdown";
import { PageActions } from "@/components/ui/page-actions";
import { getAccessSummary } from "@/lib/access";
import type { PlanOffer, SubscriptionView } from "@/lib/access/types";
import { getCaller } from "@/lib/auth";
import { siteUrl } from "@/lib/catalog/markdown";
import { getCatalogWithHiddenFor, subscribeTargetOf } from "@/lib/catalog/read";
import { pageMetadata, pagePaths, plainDescription } from "@/lib/catalog/sitemap";
import type { CatalogProduct } from "@/lib/catalog/types";
import { subscriptionTo } from "@/lib/dashboard";

type Params = { params: Promise<{ slug: string }> };

const twinOf = (slug: string) => `/products/${encodeURIComponent(slug)}.md`;

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  const product = (await getCatalogWithHiddenFor(await getCaller())).products.find((p) => p.slug === slug);
  if (!product) return { title: "Not found" };
  return pageMetadata({
    path: pagePaths.product(product.slug),
    title: product.name,
    description:
      plainDescription(product.summary ?? product.description ?? product.plan.description) ??
      `The ${product.name} plan: its APIs, limits and how to subscribe.`,
    markdownPath: twinOf(product.slug),
  });
}

export default async function ProductPage({ params }: Params) {
  const { slug } = await params;
  const caller = await getCaller();
  // A hidden product is not found, except by admins (who see it marked as hidden).
  const catalog = await getCatalogWithHiddenFor(caller);
  const product = catalog.products.find((p) => p.slug === slug);
  if (!product) notFound();
  // Signed in: the user's subscriptions and what subscribing would do (DynamoDB only). If they can't be read, the page still shows, with the dashboard link.
  const access = caller.user
    ? await getAccessSummary(caller.user.id, [subscribeTargetOf(product)]).catch((error: unknown) => {
        console.error("[product] access summary failed:", (error as Error).message);
        return undefined;
      })
    : null;
  const offer = access?.offers[product.plan.id];
  const apis = product.apiSlugs.flatMap((s) => catalog.apis.filter((a) => a.slug === s));
  return (
    <article className="flex max-w-3xl flex-col gap-8">
      <header>
        <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">Plan</p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight">{product.name}</h1>
        {product.summary && <p className="mt-2 text-lg text-zinc-600 dark:text-zinc-400">{product.summary}</p>}
        <PageActions site={siteUrl()} markdownPath={twinOf(product.slug)} className="mt-4" />
      </header>
      {product.hidden && (
        <p className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          <span className="font-semibold">Hidden.</span> Only administrators can open this page: the plan isn&apos;t listed, everyone else gets a 404 and no one
          can subscribe. Publish it again in{" "}
          <Link href="/admin/catalog" className="focus-ring rounded font-medium underline underline-offset-4">
            Admin → Catalog
          </Link>
          .
        </p>
      )}
      <section aria-labelledby="terms" className="rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
        <h2 id="terms" className="mb-3 text-lg font-semibold">
          Terms
        </h2>
        <PlanTermsList plan={product.plan} apis={apis.map((api) => ({ name: api.name, stage: api.stage, href: `/apis/${api.slug}` }))} />
        {product.approvalRequired && <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">Subscriptions to this plan are approved by the API team.</p>}
      </section>
      {product.description && <Markdown>{product.description}</Markdown>}
      <section aria-labelledby="get-access">
        <h2 id="get-access" className="text-lg font-semibold">
          Get access
        </h2>
        {product.hidden ? (
          <p className="mt-2 text-zinc-700 dark:text-zinc-300">Not available while the plan is hidden.</p>
        ) : access && offer ? (
          <ProductAccess product={product} subscriptions={access.subscriptions} offer={offer} />
        ) : caller.user ? (
          <p className="mt-2 text-zinc-700 dark:text-zinc-300">
            Subscribe and manage your keys from your <DashboardLink />.
          </p>
        ) : (
          <p className="mt-2 text-zinc-700 dark:text-zinc-300">
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent(`/products/${product.slug}`)}`}
              className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500"
            >
              Sign in
            </Link>{" "}
            to subscribe and get an API key.
          </p>
        )}
      </section>
    </article>
  );
}

function DashboardLink() {
  return (
    <Link href="/dashboard" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
      dashboard
    </Link>
  );
}

/** Signed in: this plan's subscription state, the button to subscribe, request access or switch (as lib/access offers it), or why not. */
function ProductAccess({ product, subscriptions, offer }: { product: CatalogProduct; subscriptions: SubscriptionView[]; offer: PlanOffer }) {
  if (offer.kind === "blocked") return <p className="mt-2 text-zinc-700 dark:text-zinc-300">{offer.reason}</p>;
  if (offer.kind === "held") {
    const text = {
      active: (
        <>
          You&apos;re subscribed to this plan. Create keys and watch your usage on your <DashboardLink />.
        </>
      ),
      pending: (
        <>
          {PENDING_NOTE}. You can cancel the request from your <DashboardLink />.
        </>
      ),
      awaiting: (
        <>
          Bought on AWS Marketplace: your key starts working as soon as AWS confirms the subscription. See your <DashboardLink />.
        </>
      ),
      failed: (
        <>
          Your AWS Marketplace purchase didn&apos;t go through. See your <DashboardLink />.
        </>
      ),
      ended: (
        <>
          Your AWS Marketplace subscription has ended. See your <DashboardLink />.
        </>
      ),
      rejected: (
        <>
          The API team didn&apos;t approve your last request. See your <DashboardLink />.
        </>
      ),
    }[offer.state];
    return (
      <p className="mt-2 text-zinc-700 dark:text-zinc-300">
        <StateBadge state={offer.state} /> {text}
      </p>
    );
  }
  // Not held: new, a declined request (asked again), or a plan whose AWS Marketplace subscription ended.
  const declined = subscriptionTo(product, subscriptions)?.state === "rejected";
  return (
    <div className="mt-3 flex flex-col gap-3">
      {declined && (
        <p className="text-zinc-700 dark:text-zinc-300">
          <StateBadge state="rejected" /> The API team didn&apos;t approve your last request. You can ask again.
        </p>
      )}
      <SubscribeButton product={{ slug: product.slug, name: product.name }} offer={offer} />
      <p className="text-zinc-700 dark:text-zinc-300">
        Then create keys and watch your usage on your <DashboardLink />.
      </p>
    </div>
  );
}
