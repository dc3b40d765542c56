import type { Metadata } from "next";
import { requireAdmin } from "@/lib/auth";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdmin("/admin");
  const config = getConfig();
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
    </div>
  );
}
