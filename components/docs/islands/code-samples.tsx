/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
import type { TryItOperation } from "@/lib/openapi/try-it";
import { buildSamples, type SampleKey } from "@/lib/openapi/samples";
import { CopyButton } from "./copy-button";
import { Tabs } from "./tabs";

/** curl, JavaScript and Python for one operation, each with a copy button. */
export function CodeSamples({
  operation,
  baseUrl,
  sampleKey,
  toolbar,
}: {
  operation: TryItOperation;
  baseUrl: string;
  sampleKey?: SampleKey;
  toolbar?: ComponentChildren;
}) {
  const samples = buildSamples(operation, baseUrl, sampleKey);
  const tabs = (
    [
      ["curl", "curl", samples.curl],
      ["javascript", "JavaScript", samples.javascript],
      ["python", "Python", samples.python],
    ] as const
  ).map(([id, title, code]) => ({
    id,
    title,
    content: (
      <div className="relative">
        {/* Focusable: a long line scrolls sideways, and keyboard users must be able to scroll it too. */}
        <pre
          tabIndex={0}
          aria-label={`${title} sample`}
          className="focus-ring overflow-x-auto rounded-lg bg-zinc-900 p-4 pt-12 font-mono text-sm text-zinc-100"
        >
          <code>{code}</code>
        </pre>
        <div className="absolute top-2 right-2">
          <CopyButton text={code} label={`Copy ${title}`} />
        </div>
      </div>
    ),
  }));
  return (
    <div className="flex flex-col gap-3">
      {toolbar}
      <Tabs label="Code samples" idBase={`samples-${operation.slug}`} tabs={tabs} />
    </div>
  );
}
