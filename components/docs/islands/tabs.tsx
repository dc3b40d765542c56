/** @jsxImportSource preact */
import { useEffect, useRef, useState } from "preact/hooks";
import { CopyButton } from "./copy-button";
import { copyableSampleText } from "./key-picker";

/**
 * The tab bar of panels the server rendered beside it (WAI-ARIA tabs: arrow keys, Home and End
 * move between tabs). Panels are found by id, `${idBase}-panel-${id}`, and shown one at a time; the
 * panels themselves (highlighted code) never go through the browser's renderer. The tab list
 * scrolls sideways when it doesn't fit (eight languages on a phone), and the copy button sits in
 * the bar, over no code. The chosen tab is remembered across pages under `storageKey`.
 */
export function Tabs({
  label,
  idBase,
  tabs,
  storageKey,
  copy,
}: {
  label: string;
  idBase: string;
  tabs: { id: string; title: string }[];
  storageKey?: string;
  /** A copy button for the shown panel's code (its current text: a key written in is copied too). */
  copy?: boolean;
}) {
  const [active, setActive] = useState(0);
  // The copy button does nothing without the script: disabled until hydrated.
  const [ready, setReady] = useState(false);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const panel = (i: number) => document.getElementById(`${idBase}-panel-${tabs[i]?.id}`);

  // The reader's language from an earlier page (the server always shows the first).
  useEffect(() => {
    setReady(true);
    const stored = storageKey ? readStorage(storageKey) : null;
    const i = tabs.findIndex((t) => t.id === stored);
    if (i > 0) {
      setActive(i);
      // Scrolled into the list's view (the page itself stays where it is).
      const button = document.getElementById(`${idBase}-tab-${tabs[i]!.id}`);
      const bar = button?.parentElement;
      if (button && bar) bar.scrollLeft = button.offsetLeft - bar.offsetLeft - 16;
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, on hydration

  useEffect(() => {
    tabs.forEach((_, i) => {
      const element = panel(i);
      if (element) element.hidden = i !== active;
    });
  }, [active]); // eslint-disable-line react-hooks/exhaustive-deps -- tabs and idBase never change

  function choose(i: number) {
    setActive(i);
    const id = tabs[i]?.id;
    if (storageKey && id) writeStorage(storageKey, id);
  }

  function onKeyDown(event: KeyboardEvent) {
    const last = tabs.length - 1;
    const next =
      event.key === "ArrowRight"
        ? (active + 1) % tabs.length
        : event.key === "ArrowLeft"
          ? (active + last) % tabs.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : -1;
    if (next < 0) return;
    event.preventDefault();
    choose(next);
    refs.current[next]?.focus();
  }

  const current = tabs[active];
  return (
    <div className="flex items-center gap-2 border-b border-zinc-200 pr-2 dark:border-zinc-800">
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="flex min-w-0 flex-1 flex-wrap gap-x-1 px-1">
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
            onClick={() => choose(i)}
            className="focus-ring shrink-0 rounded-t-md border-b-2 border-transparent px-2.5 py-2 text-sm font-medium whitespace-nowrap text-zinc-600 aria-selected:border-brand-600 aria-selected:text-zinc-900 dark:text-zinc-400 dark:aria-selected:text-white"
          >
            {tab.title}
          </button>
        ))}
      </div>
      {copy && current && (
        <div className="shrink-0">
          <CopyButton
            text={() => {
              const pre = panel(active)?.querySelector("pre");
              return pre ? copyableSampleText(pre) : "";
            }}
            label={`Copy ${current.title}`}
            className={BAR_BUTTON}
            disabled={!ready}
          />
        </div>
      )}
    </div>
  );
}

const BAR_BUTTON =
  "focus-ring rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800";

// localStorage may be refused (privacy settings, a sandboxed frame): then nothing is remembered.
function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function writeStorage(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered
  }
}
