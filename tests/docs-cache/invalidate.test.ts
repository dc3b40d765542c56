import { CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cloudfront } from "@/lib/cloudfront/client";
import { DISTRIBUTION_ENV, DOCS_INVALIDATION_PATHS } from "@/lib/cloudfront/docs-cache";
import { invalidateDocs } from "@/lib/cloudfront/invalidate";

/**
 * When the catalog changes at runtime, the CDN's copies of the docs go (lib/cloudfront): one
 * CreateInvalidation of /apis/* on the portal's distribution, skipped where there is none (the
 * local sandbox), and a failure reported without undoing the catalog change.
 */
const audit = vi.hoisted(() => ({ entries: [] as unknown[] }));
vi.mock("@/lib/audit", () => ({
  recordAudit: async (entry: unknown) => void audit.entries.push(entry),
  currentActor: () => ({ id: "admin", email: "admin@example.com" }),
}));
vi.mock("@/lib/catalog/read", () => ({ getCatalog: async () => ({ products: [], apis: [], guides: [] }), lastReadCatalog: () => undefined }));
vi.mock("next/cache", () => ({ unstable_cache: <F>(fn: F) => fn, revalidateTag: () => {}, revalidatePath: () => {}, unstable_expireTag: () => {} }));

const DISTRIBUTION = "E2ABCDEF123456";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  delete process.env[DISTRIBUTION_ENV];
});

describe("invalidating the docs", () => {
  it("sends one CreateInvalidation of the docs paths to the configured distribution, each with a fresh reference", async () => {
    const send = vi.spyOn(cloudfront, "send").mockResolvedValue({} as never);
    expect(await invalidateDocs({ [DISTRIBUTION_ENV]: DISTRIBUTION })).toBe("invalidated");
    expect(await invalidateDocs({ [DISTRIBUTION_ENV]: DISTRIBUTION })).toBe("invalidated");
    expect(send).toHaveBeenCalledTimes(2);
    const [first, second] = send.mock.calls.map(([command]) => command as CreateInvalidationCommand);
    expect(first).toBeInstanceOf(CreateInvalidationCommand);
    expect(first!.input.DistributionId).toBe(DISTRIBUTION);
    expect(first!.input.InvalidationBatch!.Paths).toEqual({ Quantity: 1, Items: ["/apis/*"] });
    expect(DOCS_INVALIDATION_PATHS).toEqual(["/apis/*"]);
    expect(first!.input.InvalidationBatch!.CallerReference).not.toBe(second!.input.InvalidationBatch!.CallerReference);
  });

  it("is skipped without a distribution (the local sandbox has no CloudFront)", async () => {
    const send = vi.spyOn(cloudfront, "send");
    expect(await invalidateDocs({})).toBe("skipped");
    expect(await invalidateDocs({ [DISTRIBUTION_ENV]: "" })).toBe("skipped");
    expect(send).not.toHaveBeenCalled();
  });

  it("reaches CloudFront's invalidation endpoint for that distribution (the request the SDK really builds)", async () => {
    let request: { method: string; path: string; body: string } | undefined;
    const capture = "capture-cloudfront-request";
    cloudfront.middlewareStack.add(
      () => async (args) => {
        request = args.request as typeof request;
        throw Object.assign(new Error("captured"), { name: "Captured" });
      },
      { step: "build", name: capture },
    );
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.stubEnv("AWS_REGION", "us-east-1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    try {
      // A failure is reported, not thrown: the catalog change has happened either way.
      expect(await invalidateDocs({ [DISTRIBUTION_ENV]: DISTRIBUTION })).toBe("failed");
    } finally {
      cloudfront.middlewareStack.remove(capture);
    }
    expect(logged.mock.calls).toEqual([["[cloudfront] invalidating the docs failed:", "Captured", "captured"]]);
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe(`/2020-05-31/distribution/${DISTRIBUTION}/invalidation`);
    expect(request!.body).toContain("<Path>/apis/*</Path>");
  });
});

describe("an admin's catalog refresh", () => {
  beforeEach(() => {
    audit.entries = [];
  });

  it("invalidates the docs on the distribution infra/ configures, after recording the refresh", async () => {
    process.env[DISTRIBUTION_ENV] = DISTRIBUTION;
    const send = vi.spyOn(cloudfront, "send").mockResolvedValue({} as never);
    const { refreshCatalogNow } = await import("@/lib/catalog/admin");
    const result = await refreshCatalogNow();
    expect(result.cdn).toBe("invalidated");
    expect(send).toHaveBeenCalledOnce();
    expect((send.mock.calls[0]![0] as CreateInvalidationCommand).input.DistributionId).toBe(DISTRIBUTION);
    expect(audit.entries).toMatchObject([{ type: "catalog.refreshed" }]);
  });

  it("says the CDN step was skipped where there is no distribution", async () => {
    const send = vi.spyOn(cloudfront, "send");
    const { refreshCatalogNow } = await import("@/lib/catalog/admin");
    expect((await refreshCatalogNow()).cdn).toBe("skipped");
    expect(send).not.toHaveBeenCalled();
  });
});
