import type { Metadata } from "next";
import Link from "next/link";
import { LINK } from "@/components/access/styles";
import { TokenManager } from "@/components/access/token-list";
import { requireUser } from "@/lib/auth";
import { getCatalogFor } from "@/lib/catalog/read";
import { listTokens, MAX_TOKENS_PER_USER } from "@/lib/tokens";

export const metadata: Metadata = { title: "Portal tokens" };

const CODE = "rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800";

/** Personal portal tokens: what the developer's scripts and AI agents use instead of their session. */
export default async function TokensPage() {
  const caller = await requireUser("/dashboard/tokens");
  const { user } = caller;
  const [tokens, catalog] = await Promise.all([listTokens(user.id), getCatalogFor(caller)]);
  // The Developer API's docs, if portal.yaml lists it for this reader.
  const reference = catalog.apis.find((a) => a.portal);
  // Read once here, so the server's HTML and the browser agree on which tokens have expired.
  const now = new Date().toISOString();

  return (
    <div className="flex max-w-4xl flex-col gap-10">
      <header>
        <nav aria-label="Breadcrumb" className="mb-2 text-sm">
          <ol className="flex flex-wrap gap-2 text-zinc-600 dark:text-zinc-400">
            <li>
              <Link href="/dashboard" className="focus-ring rounded hover:underline">
                Dashboard
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li aria-current="page" className="font-medium text-zinc-800 dark:text-zinc-200">
              Portal tokens
            </li>
          </ol>
        </nav>
        <h1 className="text-3xl font-bold tracking-tight">Portal tokens</h1>
        <div className="mt-3 flex flex-col gap-2 text-zinc-600 dark:text-zinc-400">
          <p>
            A portal token lets a script or an AI agent act for you without your password: it calls the portal&apos;s consumer API at{" "}
            <code className={CODE}>/api/v1</code> and its MCP server at <code className={CODE}>/mcp</code>, sending the token as{" "}
            <code className={CODE}>Authorization: Bearer ptk_…</code>. It can do only what its scopes allow, and stops working when it expires or you revoke it.
          </p>
          <p>
            Tokens aren&apos;t API keys: your apps still call the APIs themselves with an API key from your{" "}
            <Link href="/dashboard" className={LINK}>
              dashboard
            </Link>
            .
            {reference && (
              <>
                {" "}
                See the{" "}
                <Link href={`/apis/${reference.slug}`} prefetch={false} className={LINK}>
                  Developer API reference
                </Link>{" "}
                for what a token can call.
              </>
            )}
          </p>
        </div>
      </header>

      <TokenManager tokens={tokens} maxTokens={MAX_TOKENS_PER_USER} now={now} />
    </div>
  );
}
