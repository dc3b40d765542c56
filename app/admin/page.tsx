import type { Metadata } from "next";
import { NearQuota, SignupsSection, StatGrid, TopConsumers, UsageAsOf } from "@/components/admin/overview";
import { MUTED, PageHeader } from "@/components/admin/ui";
import { requireAdmin } from "@/lib/auth";
import { getConfig } from "@/lib/config";
import { getOverview } from "@/lib/users";

export const metadata: Metadata = { title: "Admin" };

/** Who uses the portal and how much, from stored profiles only (no control-plane calls). */
export default async function AdminPage() {
  await requireAdmin("/admin");
  const overview = await getOverview();
  const config = getConfig();
  const rows = [
    ["Region", config.AWS_REGION],
    ["DynamoDB table", config.PORTICO_TABLE],
    ["Cognito user pool", config.COGNITO_USER_POOL_ID],
    ["Site URL", config.AUTH_URL],
  ];
  return (
    <div className="flex flex-col gap-10">
      <PageHeader title="Admin">Who uses the portal, what is waiting for you, and who is closest to their limits.</PageHeader>
      <StatGrid overview={overview} />
      <SignupsSection signUps={overview.signUps} />
      <div className="grid gap-10 lg:grid-cols-2">
        <TopConsumers consumers={overview.topConsumers} />
        <NearQuota keys={overview.nearQuota} />
      </div>
      <UsageAsOf {...(overview.usageAsOf ? { usageAsOf: overview.usageAsOf } : {})} />

      <section aria-labelledby="portal-config" className="border-t border-zinc-200 pt-6 dark:border-zinc-800">
        <h2 id="portal-config" className="text-lg font-semibold">
          Where this portal runs
        </h2>
        <dl className="mt-3 grid max-w-2xl grid-cols-1 gap-y-1 text-sm sm:grid-cols-[10rem_1fr] sm:gap-y-2">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className={MUTED}>{label}</dt>
              <dd className="mb-2 font-mono break-all sm:mb-0">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
