"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { EmptyState, MUTED, SECTION_TITLE, TABLE, TableHead, TableScroll, TD } from "@/components/admin/ui";
import { BUTTON, CARD, LINK, PRIMARY_BUTTON } from "@/components/access/styles";
import { apiFetch, useApiCall, type ApiError } from "@/components/access/use-api-call";
import { formatQuota, formatRate } from "@/components/catalog/plan-terms";
import type { AdminApiRow, AdminCatalogView, AdminProductRow } from "@/lib/catalog/overrides";

type Change = { planId: string; published: boolean } | { apiId: string; stage: string; sdks: boolean };

// Not `disabled`: a disabled button drops keyboard focus, and the same button gets it back with its new label.
const BUSY = "aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function visibilityLabel(visibility: string): string {
  if (visibility === "public") return "Public";
  if (visibility === "signed-in") return "Signed-in users";
  return `Group ${visibility.slice("group:".length)}`;
}

function Badge({ on, children }: { on: boolean; children: ReactNode }) {
  const style = on ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200" : "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200";
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${style}`}>{children}</span>;
}

/**
 * Admin → Catalog: every product and API stage with its switches, and "refresh now". One change
 * at a time; each sends the version it shows, so a change made meanwhile by another admin is a
 * conflict (shown, with their change loaded) rather than a silent overwrite.
 */
export function CatalogControl({ initial }: { initial: AdminCatalogView }) {
  // The newest of what the server rendered and what the last change answered.
  const [answered, setAnswered] = useState<AdminCatalogView | null>(null);
  const view = answered && answered.version > initial.version ? answered : initial;
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ key: string; error: ApiError } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const refresh = useApiCall();

  async function flip(key: string, change: Change, done: string) {
    if (busy) return;
    setBusy(key);
    setFailure(null);
    setAnnouncement("");
    const result = await apiFetch<AdminCatalogView>("/api/admin/catalog", { method: "PATCH", body: { ...change, version: view.version } });
    if (result.ok) {
      setAnswered(result.data);
      setAnnouncement(done);
    } else {
      setFailure({ key, error: result.error });
      // Someone else changed a switch meanwhile: show the switches as they are now.
      if (result.error.status === 409) {
        const latest = await apiFetch<AdminCatalogView>("/api/admin/catalog");
        if (latest.ok) setAnswered(latest.data);
      }
    }
    setBusy(null);
  }

  const published = view.products.filter((p) => p.published).length;
  return (
    <div className="flex flex-col gap-10">
      <p role="status" className="sr-only">
        {announcement}
      </p>

      <section className={`max-w-3xl p-5 ${CARD}`}>
        <h2 className="text-lg font-semibold">API Gateway</h2>
        <p className={`mt-1 text-sm ${MUTED}`} data-testid="catalog-refreshed" data-refreshed-at={view.refreshedAt}>
          {view.products.length} plans and {view.apis.length} APIs, read from API Gateway at {when.format(new Date(view.refreshedAt))} UTC. Plan terms, stages and
          exported specs are cached; refreshing re-reads them on the next page view.
        </p>
        {view.problems.length > 0 && (
          <ul className="mt-3 list-disc pl-5 text-sm text-amber-900 dark:text-amber-200">
            {view.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        <div className="mt-4 flex flex-col items-start gap-2">
          <button
            type="button"
            className={`${PRIMARY_BUTTON} ${BUSY}`}
            aria-disabled={refresh.pending || undefined}
            onClick={() => {
              if (!refresh.pending) void refresh.call("/api/admin/catalog/refresh", { method: "POST" });
            }}
          >
            {refresh.pending ? "Refreshing…" : "Refresh from API Gateway now"}
          </button>
          <ErrorAlert error={refresh.error} />
        </div>
      </section>

      <section>
        <h2 className={SECTION_TITLE}>Usage plans</h2>
        <p className={`mt-1 mb-4 max-w-3xl text-sm ${MUTED}`}>
          {published} of {view.products.length} published. A hidden plan isn&apos;t listed, its page answers 404 (administrators can still open it) and no one can
          subscribe; existing subscriptions and keys keep working. Discovery{" "}
          {view.discovery.enabled
            ? `lists plans that catalog/ doesn't describe${view.discovery.tag ? ` when tagged ${view.discovery.tag}` : ""}, visible to: ${visibilityLabel(view.discovery.visibility).toLowerCase()}.`
            : "is off: only plans described in catalog/products/ are listed."}
        </p>
        {view.products.length === 0 ? (
          <EmptyState title="No usage plans in the catalog">Check the problems above, or refresh from API Gateway.</EmptyState>
        ) : (
          <TableScroll label="Usage plans">
            <table className={`${TABLE} min-w-[64rem]`}>
              <TableHead columns={["Plan", "Plan id", "Source", "Visibility", "API stages", "Throttle / quota", "State", { label: "Change", srOnly: true }]} />
              <tbody>
                {view.products.map((product) => (
                  <ProductRow
                    key={product.slug}
                    product={product}
                    discoveryTag={view.discovery.tag}
                    busy={busy}
                    failure={failure}
                    onFlip={(key) =>
                      flip(key, { planId: product.planId, published: !product.published }, `${product.name} is ${product.published ? "hidden" : "published"}.`)
                    }
                  />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section>
        <h2 className={SECTION_TITLE}>APIs</h2>
        <p className={`mt-1 mb-4 max-w-3xl text-sm ${MUTED}`}>
          With SDK downloads off, an API&apos;s page shows no SDK links and its SDK downloads answer 404.
        </p>
        {view.apis.length === 0 ? (
          <EmptyState title="No APIs in the catalog" />
        ) : (
          <TableScroll label="APIs">
            <table className={`${TABLE} min-w-[52rem]`}>
              <TableHead columns={["API", "API id", "Stage", "Definition", "In plans", "SDK downloads", { label: "Change", srOnly: true }]} />
              <tbody>
                {view.apis.map((api) => (
                  <ApiRow
                    key={`${api.apiId}/${api.stage}`}
                    api={api}
                    busy={busy}
                    failure={failure}
                    onFlip={(key) => flip(key, { apiId: api.apiId, stage: api.stage, sdks: !api.sdks }, `SDK downloads for ${api.name} are ${api.sdks ? "off" : "on"}.`)}
                  />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      {view.updatedAt && (
        <p className={`text-sm ${MUTED}`}>
          Last changed {view.updatedBy ? `by ${view.updatedBy} ` : ""}at {when.format(new Date(view.updatedAt))} UTC.
        </p>
      )}
    </div>
  );
}

interface RowProps {
  busy: string | null;
  failure: { key: string; error: ApiError } | null;
  onFlip: (key: string) => void;
}

function FailureRow({ failure, rowKey, columns }: { failure: RowProps["failure"]; rowKey: string; columns: number }) {
  if (failure?.key !== rowKey) return null;
  return (
    <tr>
      <td colSpan={columns} className={TD}>
        <ErrorAlert error={failure.error} />
      </td>
    </tr>
  );
}

function ProductRow({ product, discoveryTag, busy, failure, onFlip }: RowProps & { product: AdminProductRow; discoveryTag?: string }) {
  const key = `plan:${product.slug}`;
  const mine = busy === key;
  return (
    <>
      <tr>
        <th scope="row" className={`${TD} text-left font-medium`}>
          <Link href={`/products/${product.slug}`} className={LINK}>
            {product.name}
          </Link>
          {product.planName !== product.name && <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">Plan {product.planName}</span>}
        </th>
        <td className={`${TD} font-mono text-xs`}>{product.planId}</td>
        <td className={TD}>{product.source === "catalog" ? <span className="font-mono text-xs">catalog/{product.file}</span> : discoveryTag ? `Discovered (tag ${discoveryTag})` : "Discovered"}</td>
        <td className={TD}>
          {visibilityLabel(product.visibility)}
          {product.approvalRequired && <span className="block text-xs text-zinc-500 dark:text-zinc-400">Approval required</span>}
          {product.productCode && <span className="block text-xs text-zinc-500 dark:text-zinc-400">AWS Marketplace</span>}
        </td>
        <td className={TD}>
          {product.apiStages.length === 0 ? (
            "None"
          ) : (
            <ul>
              {product.apiStages.map((s) => (
                <li key={`${s.apiId}/${s.stage}`}>
                  {s.name ?? <span className="font-mono text-xs">{s.apiId}</span>} <span className="text-zinc-500 dark:text-zinc-400">({s.stage})</span>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className={TD}>
          {formatRate(product.throttle)}
          <span className="block">{formatQuota(product.quota)}</span>
        </td>
        <td className={TD}>
          <Badge on={product.published}>{product.published ? "Published" : "Hidden"}</Badge>
        </td>
        <td className={`${TD} text-right`}>
          <button type="button" className={`${BUTTON} ${BUSY} whitespace-nowrap`} aria-disabled={busy !== null || undefined} onClick={() => busy === null && onFlip(key)}>
            {mine ? (product.published ? "Hiding…" : "Publishing…") : product.published ? "Hide" : "Publish"}
            <span className="sr-only"> {product.name}</span>
          </button>
        </td>
      </tr>
      <FailureRow failure={failure} rowKey={key} columns={8} />
    </>
  );
}

function ApiRow({ api, busy, failure, onFlip }: RowProps & { api: AdminApiRow }) {
  const key = `api:${api.apiId}/${api.stage}`;
  const mine = busy === key;
  return (
    <>
      <tr>
        <th scope="row" className={`${TD} text-left font-medium`}>
          <Link href={`/apis/${api.slug}`} className={LINK}>
            {api.name}
          </Link>
        </th>
        <td className={`${TD} font-mono text-xs`}>{api.apiId}</td>
        <td className={TD}>{api.stage}</td>
        <td className={TD}>{api.spec.source === "file" ? <span className="font-mono text-xs">catalog/{api.spec.file}</span> : "Exported from API Gateway"}</td>
        <td className={TD}>{api.products.length ? api.products.join(", ") : "None"}</td>
        <td className={TD}>
          <Badge on={api.sdks}>{api.sdks ? "On" : "Off"}</Badge>
        </td>
        <td className={`${TD} text-right`}>
          <button type="button" className={`${BUTTON} ${BUSY} whitespace-nowrap`} aria-disabled={busy !== null || undefined} onClick={() => busy === null && onFlip(key)}>
            {mine ? (api.sdks ? "Turning off…" : "Turning on…") : api.sdks ? "Turn off" : "Turn on"}
            <span className="sr-only">
              {" "}
              SDK downloads for {api.name} ({api.stage})
            </span>
          </button>
        </td>
      </tr>
      <FailureRow failure={failure} rowKey={key} columns={7} />
    </>
  );
}
