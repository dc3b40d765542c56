/** @jsxImportSource preact */
// Server only (it highlights with lib/highlight): not an island itself, and not in registry.ts.
// It renders the "code-tabs" island (the tab bar) and, beside it, the panels as plain HTML.
import { highlight } from "@/lib/highlight";
import { markedSamples } from "@/lib/openapi/samples";
import type { TryItOperation } from "@/lib/openapi/try-it";
import { Island } from "./island";

/** Remembered across pages by the tab bar (components/docs/islands/tabs.tsx). */
export const SAMPLE_LANGUAGE_KEY = "portico.sample-language";

/**
 * One operation's samples in every language, highlighted on the server. Each reads the key from
 * the environment; on a signed-in reader's page, the key picker (islands/key-picker.tsx) writes
 * their chosen key into the marked spans (data-sample-key) instead.
 */
export function CodeSamples({ operation, baseUrl }: { operation: TryItOperation; baseUrl: string }) {
  const samples = markedSamples(operation, baseUrl);
  const idBase = `samples-${operation.slug}`;
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
      <Island
        name="code-tabs"
        props={{ label: "Code samples", idBase, tabs: samples.map(({ id, title }) => ({ id, title })), storageKey: SAMPLE_LANGUAGE_KEY, copy: true }}
      />
      {samples.map((sample, i) => (
        <div key={sample.id} role="tabpanel" id={`${idBase}-panel-${sample.id}`} aria-labelledby={`${idBase}-tab-${sample.id}`} hidden={i !== 0}>
          {/* Focusable: a long line scrolls sideways, and keyboard users must be able to scroll it too. */}
          <pre tabIndex={0} aria-label={`${sample.title} sample`} className="hl focus-ring overflow-x-auto p-4 font-mono text-sm leading-6">
            <code
              dangerouslySetInnerHTML={{
                __html: highlight(
                  sample.code,
                  sample.grammar,
                  sample.key && { start: sample.key.start, end: sample.key.end, attributes: { "data-sample-key": sample.key.spelling } },
                ),
              }}
            />
          </pre>
        </div>
      ))}
    </div>
  );
}
