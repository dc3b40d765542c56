/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";

/**
 * Accessible tabs (WAI-ARIA pattern: arrow keys move between tabs). All panels are in the HTML;
 * `idBase` keeps ids equal between the server's HTML and the hydrated island.
 */
export function Tabs({ label, idBase, tabs }: { label: string; idBase: string; tabs: { id: string; title: string; content: ComponentChildren }[] }) {
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  function onKeyDown(event: KeyboardEvent) {
    const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!delta) return;
    const next = (active + delta + tabs.length) % tabs.length;
    setActive(next);
    refs.current[next]?.focus();
  }
  return (
    <div>
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {tabs.map((tab, i) => (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${idBase}-tab-${tab.id}`}
            aria-selected={i === active}
            aria-controls={`${idBase}-panel-${tab.id}`}
            tabIndex={i === active ? 0 : -1}
            onClick={() => setActive(i)}
            className="focus-ring -mb-px rounded-t-md border-b-2 border-transparent px-3 py-2 text-sm font-medium text-zinc-600 aria-selected:border-brand-600 aria-selected:text-zinc-900 dark:text-zinc-400 dark:aria-selected:text-white"
          >
            {tab.title}
          </button>
        ))}
      </div>
      {tabs.map((tab, i) => (
        <div key={tab.id} role="tabpanel" id={`${idBase}-panel-${tab.id}`} aria-labelledby={`${idBase}-tab-${tab.id}`} hidden={i !== active} className="pt-3">
          {tab.content}
        </div>
      ))}
    </div>
  );
}
