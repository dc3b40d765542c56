import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/ui";
import { requireAdmin } from "@/lib/auth";
import { getAdminCatalogView } from "@/lib/catalog/admin";
import { CatalogControl } from "./catalog-control";

export const metadata: Metadata = { title: "Catalog · Admin" };

/** The usage plans and API stages in the catalog, with their published state and SDK switches. */
export default async function AdminCatalogPage() {
  await requireAdmin("/admin/catalog");
  const view = await getAdminCatalogView();
  return (
    <div className="flex flex-col gap-8">
      <PageHeader title="Catalog">
        The usage plans and API stages the portal found in API Gateway and catalog/. Publish or hide plans and turn SDK downloads on or off: changes reach
        visitors on their next page view, without a redeploy.
      </PageHeader>
      <CatalogControl initial={view} />
    </div>
  );
}
