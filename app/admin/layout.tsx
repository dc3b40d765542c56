import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/lib/auth";

/**
 * Every admin page: checked above loading.tsx's Suspense boundary (a real redirect or 403, not a
 * streamed page), with the section navigation. Pages check again with their own return path.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin("/admin");
  return (
    <div className="flex flex-col gap-8">
      <AdminNav />
      {children}
    </div>
  );
}
