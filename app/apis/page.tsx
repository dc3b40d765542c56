import type { Metadata } from "next";
import { listApiSpecs } from "@/lib/catalog/api-specs";

export const metadata: Metadata = { title: "APIs" };

export default function ApisPage() {
  const apis = listApiSpecs();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">APIs</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">Every API you can subscribe to.</p>
      <ul className="mt-8 grid gap-4 sm:grid-cols-2">
        {apis.map((api) => (
          <li key={api.file} className="rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
            <h2 className="text-lg font-semibold">{api.title}</h2>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Version {api.version}</p>
            {api.description && <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{api.description}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
