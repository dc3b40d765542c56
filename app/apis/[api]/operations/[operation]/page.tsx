import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CodeSamples } from "@/components/docs/code-samples";
import { DocsShell } from "@/components/docs/docs-shell";
import { KeyedCodeSamples } from "@/components/docs/keyed-code-samples";
import { OperationView } from "@/components/docs/operation-view";
import { TryIt } from "@/components/docs/try-it";
import { getCaller } from "@/lib/auth";
import { getApiDocsOrNotFound } from "@/lib/catalog/docs";
import { getOperation, toTryItOperation } from "@/lib/openapi";

type Params = { params: Promise<{ api: string; operation: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { api: apiSlug, operation: slug } = await params;
  const { api, document } = await getApiDocsOrNotFound(apiSlug, await getCaller());
  const operation = getOperation(document, slug);
  return { title: operation ? `${operation.title} · ${api.name}` : "Not found", description: operation?.summary };
}

export default async function OperationPage({ params }: Params) {
  const { api: apiSlug, operation: slug } = await params;
  const caller = await getCaller();
  const { api, document } = await getApiDocsOrNotFound(apiSlug, caller);
  const operation = getOperation(document, slug);
  if (!operation) notFound();
  const servers = api.invokeUrl ? [{ url: api.invokeUrl, description: `Stage ${api.stage}` }] : operation.servers;
  const tryIt = toTryItOperation(operation);
  const baseUrl = servers[0]?.url ?? "https://api.example.com";
  return (
    <DocsShell api={api} document={document} currentSlug={operation.slug}>
      <OperationView operation={operation} servers={servers} />
      {operation.kind === "operation" && (
        <>
          <section aria-labelledby="samples" className="mt-10">
            <h2 id="samples" className="mb-3 text-xl font-semibold">
              Code samples
            </h2>
            {caller.user ? <KeyedCodeSamples operation={tryIt} baseUrl={baseUrl} /> : <CodeSamples operation={tryIt} baseUrl={baseUrl} />}
          </section>
          <section aria-labelledby="try-it" className="mt-10">
            <h2 id="try-it" className="mb-3 text-xl font-semibold">
              Try it
            </h2>
            {caller.user ? (
              api.invokeUrl ? (
                <TryIt api={api.slug} operation={tryIt} />
              ) : (
                <p className="text-zinc-600 dark:text-zinc-400">This API stage has no invoke URL yet.</p>
              )
            ) : (
              <p className="text-zinc-700 dark:text-zinc-300">
                <Link href={`/signin?callbackUrl=${encodeURIComponent(`/apis/${api.slug}/operations/${operation.slug}`)}`} className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
                  Sign in
                </Link>{" "}
                to send real requests with your key.
              </p>
            )}
          </section>
        </>
      )}
    </DocsShell>
  );
}
