import type { Metadata } from "next";
import Link from "next/link";
import { ProductHeading } from "@/components/catalog/product-heading";
import { PlanTermsList } from "@/components/catalog/plan-terms";
import { getCaller } from "@/lib/auth";
import { getCatalogFor } from "@/lib/catalog/read";
import { pageMetadata, pagePaths } from "@/lib/catalog/sitemap";

export function generateMetadata(): Metadata {
  return pageMetadata({ path: pagePaths.apis(), title: "APIs and plans", description: "Pick a plan to get access, and read the reference for each API." });
}

export default async function CatalogPage() {
  const caller = await getCaller();
  const catalog = await getCatalogFor(caller);
  const apiBySlug = new Map(catalog.apis.map((api) => [api.slug, api]));
  return (
    <div className="flex flex-col gap-12">
      <header>
        <h1 className="text-3xl font-bold tracking-tight">APIs and plans</h1>
        <p className="mt-2 max-w-2xl text-zinc-600 dark:text-zinc-400">Pick a plan to get access, and read the reference for each API.</p>
      </header>

      {catalog.problems.length > 0 && (
        <div
          role="status"
          className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-semibold">Only administrators see this: parts of catalog/ did not match API Gateway.</p>
          <ul className="mt-2 list-disc pl-5">
            {catalog.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}

      <section aria-labelledby="plans">
        <h2 id="plans" className="text-xl font-semibold">
          Plans
        </h2>
        {catalog.products.length === 0 ? (
          <p className="mt-4 text-zinc-600 dark:text-zinc-400">
            {caller.user ? "No plans are available to you yet." : "Sign in to see the plans available to you."}
          </p>
        ) : (
          <ul className="mt-4 grid gap-4 md:grid-cols-2 lg:grid-cols-3">
            {catalog.products.map((product) => (
              <li key={product.slug} className="flex flex-col rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
                <ProductHeading product={product} />
                <div className="mt-4">
                  <PlanTermsList
                    plan={product.plan}
                    apis={product.apiSlugs.flatMap((slug) => {
                      const api = apiBySlug.get(slug);
                      return api ? [{ name: api.name, stage: api.stage, href: `/apis/${api.slug}` }] : [];
                    })}
                  />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="apis">
        <h2 id="apis" className="text-xl font-semibold">
          APIs
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2">
          {catalog.apis.map((api) => (
            <li key={api.slug} className="flex gap-4 rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
              {api.image && (
                // eslint-disable-next-line @next/next/no-img-element -- small owner-supplied images
                <img src={`/catalog-assets/${api.image}`} alt="" width={40} height={40} className="size-10 shrink-0 rounded-lg" />
              )}
              <div>
                <h3 className="font-semibold">
                  <Link href={`/apis/${api.slug}`} className="focus-ring rounded hover:underline">
                    {api.name}
                  </Link>
                </h3>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">Stage {api.stage}</p>
                {api.description && <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{api.description}</p>}
              </div>
            </li>
          ))}
        </ul>
      </section>

      {catalog.guides.length > 0 && (
        <section aria-labelledby="guides">
          <h2 id="guides" className="text-xl font-semibold">
            Guides
          </h2>
          <ul className="mt-4 grid gap-3 sm:grid-cols-2">
            {catalog.guides.map((guide) => (
              <li key={guide.slug}>
                <Link
                  href={`/guides/${guide.slug}`}
                  className="focus-ring block rounded-xl border border-zinc-200 p-4 hover:border-brand-600 dark:border-zinc-800"
                >
                  <span className="font-semibold">{guide.title}</span>
                  {guide.summary && <span className="mt-1 block text-sm text-zinc-600 dark:text-zinc-400">{guide.summary}</span>}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
