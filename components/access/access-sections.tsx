import Link from "next/link";
import { ProductHeading } from "@/components/catalog/product-heading";
import { PlanTermsList } from "@/components/catalog/plan-terms";
import type { KeyAllowance } from "@/lib/access/types";
import type { Dashboard } from "@/lib/dashboard";
import { can, type TeamRole } from "@/lib/teams/roles";
import { KeyList } from "./key-list";
import { PlanAction } from "./plan-action";
import { SubscriptionList } from "./subscription-list";
import { CARD, LINK } from "./styles";
import { UsagePanel } from "./usage-panel";

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Why fewer keys count than the list shows: " · 1 rotated key in its grace period doesn't count". */
function allowanceNote({ retiring, marketplace }: KeyAllowance): string {
  const notes = [
    ...(retiring ? [`${retiring} rotated ${plural(retiring, "key in its grace period doesn't", "keys in their grace period don't")} count`] : []),
    ...(marketplace ? [`${marketplace} AWS Marketplace ${plural(marketplace, "key doesn't", "keys don't")} count`] : []),
  ];
  return notes.map((note) => ` · ${note}`).join("");
}

/**
 * Keys, subscriptions, plans and usage of one owner: the person's dashboard, or a team's page
 * (inside its SpaceProvider, whose role hides what it may not change).
 */
export function AccessSections({ dashboard, team }: { dashboard: Dashboard; team?: { role: TeamRole } }) {
  const { keys, allowance, planNames, closedPlans, hasMarketplaceKey, subscriptions, plans, usage } = dashboard;
  const manage = !team || can(team.role, "manageAccess");
  return (
    <>
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
          Each key works with every API {team ? "the team's" : "your"} active plans cover. Send it in the{" "}
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
            {team ? "The team isn't" : "You're not"} subscribed to any plan yet. Pick one below or{" "}
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
        {!manage && plans.length > 0 && (
          <p className="-mt-2 mb-4 text-sm text-zinc-600 dark:text-zinc-400">Only the team&apos;s owners and admins subscribe it to plans.</p>
        )}
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
                {offer && (manage || offer.kind === "held") && (
                  <PlanAction product={{ slug: product.slug, name: product.name }} offer={offer} subscription={subscription} />
                )}
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
          <p className="text-zinc-600 dark:text-zinc-400">Usage shows up here once {team ? "the team has" : "you have"} an active subscription.</p>
        ) : (
          <div className="flex flex-col gap-6">
            {usage.map((item) => (
              <UsagePanel key={item.planId} subscription={item} />
            ))}
          </div>
        )}
      </section>
    </>
  );
}
