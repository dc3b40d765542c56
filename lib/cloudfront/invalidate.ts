import { randomUUID } from "node:crypto";
import { CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { cloudfront } from "./client";
import { DISTRIBUTION_ENV, DOCS_INVALIDATION_PATHS } from "./docs-cache";

export type InvalidationResult = "invalidated" | "skipped" | "failed";

/**
 * Drops the CDN's copies of the docs pages after the catalog changed at runtime (an admin refresh, a
 * product published or hidden), so readers see the change at once rather than within
 * `refreshMinutes` (the longest a shared copy is kept: lib/cloudfront/docs-cache.ts). A deploy
 * needs none of this (SST invalidates the distribution on deploy). One wildcard path counts as one
 * of CloudFront's 1,000 free invalidation paths a month; admins refresh rarely.
 *
 * Skipped without a distribution (the local sandbox, where no CloudFront runs). A failure is
 * logged and reported, never thrown: the catalog change itself has happened, and the copies expire
 * on their own within one refresh interval.
 */
export async function invalidateDocs(env: Record<string, string | undefined> = process.env): Promise<InvalidationResult> {
  const distributionId = env[DISTRIBUTION_ENV];
  if (!distributionId) return "skipped";
  try {
    await cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: {
          // Unique per request: CloudFront treats a repeated reference as the same invalidation.
          CallerReference: `portico-docs-${Date.now()}-${randomUUID()}`,
          Paths: { Quantity: DOCS_INVALIDATION_PATHS.length, Items: [...DOCS_INVALIDATION_PATHS] },
        },
      }),
    );
    return "invalidated";
  } catch (error) {
    const { name, message } = error as Error;
    console.error("[cloudfront] invalidating the docs failed:", name, message);
    return "failed";
  }
}
