import type { Metadata } from "next";
import { refreshCatalogAction } from "@/app/actions/catalog";
import { requireAdmin } from "@/lib/auth";
import { getCatalog } from "@/lib/catalog";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdmin("/admin");
  const config = getConfig();
  const catalog = await getCatalog();
  const refreshed = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }).format(new Date(catalog.refreshedAt));
  const rows = [
    ["Region", config.AWS_REGION],
    ["DynamoDB table", config.PORTICO_TABLE],
    ["Cognito user pool", config.COGNITO_USER_POOL_ID],
    ["Site URL", config.AUTH_URL],
  ];
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Admin</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">Where this portal runs.</p>
      <dl className="mt-6 grid max-w-2xl grid-cols-[10rem_1fr] gap-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="font-mono break-all">{value}</dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="catalog" className="mt-10 max-w-2xl rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
        <h2 id="catalog" className="text-lg font-semibold">Catalog</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="catalog-refreshed">
          {catalog.products.length} plans and {catalog.apis.length} APIs, read from API Gateway at {refreshed} UTC.
        </p>
        {catalog.problems.length > 0 && (
          <ul className="mt-3 list-disc pl-5 text-sm text-amber-900 dark:text-amber-200">
            {catalog.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        <form action={refreshCatalogAction} className="mt-4">
          <button type="submit" className="focus-ring rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700">
            Refresh from API Gateway now
          </button>
        </form>
      </section>
    </div>
  );
}
