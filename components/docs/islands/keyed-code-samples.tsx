/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import { apiFetch } from "@/components/ui/api-fetch";
import type { KeyView } from "@/lib/access/types";
import type { TryItOperation } from "@/lib/openapi/try-it";
import type { SampleKey } from "@/lib/openapi/samples";
import { CodeSamples } from "./code-samples";

/**
 * Code samples with one of the signed-in developer's own keys written in: masked (its last four
 * characters) until they choose Reveal, which fetches the value for this page view only.
 * The key list comes from the portal's rows (no control-plane call); only Reveal makes one.
 */
export function KeyedCodeSamples({ operation, baseUrl }: { operation: TryItOperation; baseUrl: string }) {
  const id = `keys-${operation.slug}`;
  const [keys, setKeys] = useState<KeyView[] | null>(null);
  const [selected, setSelected] = useState("");
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    void apiFetch<{ keys: KeyView[] }>("/api/keys", { signal: controller.signal }).then((result) => {
      if (!result.ok) return;
      const active = result.data.keys.filter((k) => k.state === "active");
      setKeys(active);
      if (active[0]) setSelected(active[0].id);
    });
    return () => controller.abort();
  }, []);

  const key = keys?.find((k) => k.id === selected);
  const value = key && revealed[key.id];
  const sampleKey: SampleKey = key ? { kind: "literal", value: value ?? `••••••••${key.hint}` } : { kind: "env" };

  async function reveal() {
    if (!key) return;
    setBusy(true);
    setError(null);
    const result = await apiFetch<{ value: string }>(`/api/keys/${encodeURIComponent(key.id)}/reveal`, { method: "POST" });
    setBusy(false);
    if (result.ok) setRevealed((r) => ({ ...r, [key.id]: result.data.value }));
    else setError(result.error.message);
  }

  const toolbar =
    keys && keys.length > 0 ? (
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label htmlFor={`${id}-key`} className="font-medium">
          Key in samples
        </label>
        <select
          id={`${id}-key`}
          value={selected}
          onChange={(e) => setSelected(e.currentTarget.value)}
          className="focus-ring rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
        >
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} (••••{k.hint})
            </option>
          ))}
          <option value="">$API_KEY from the environment</option>
        </select>
        {key &&
          (value ? (
            <button
              type="button"
              onClick={() => setRevealed(({ [key.id]: _, ...rest }) => rest)}
              className="focus-ring rounded-md border border-zinc-300 px-2 py-1 font-medium dark:border-zinc-700"
            >
              Hide key
            </button>
          ) : (
            <button
              type="button"
              onClick={reveal}
              disabled={busy}
              className="focus-ring rounded-md border border-zinc-300 px-2 py-1 font-medium disabled:opacity-60 dark:border-zinc-700"
            >
              {busy ? "Revealing…" : "Reveal key"}
            </button>
          ))}
        {key && !value && <span className="text-zinc-600 dark:text-zinc-400">Reveal the key to copy samples that use it.</span>}
        {error && (
          <p role="alert" className="w-full text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
      </div>
    ) : keys ? (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Samples read the key from <code className="font-mono">$API_KEY</code>. Create a key on your{" "}
        <a href="/dashboard" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
          dashboard
        </a>{" "}
        to see it here.
      </p>
    ) : null;

  return <CodeSamples operation={operation} baseUrl={baseUrl} sampleKey={sampleKey} toolbar={toolbar} />;
}
