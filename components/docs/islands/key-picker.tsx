/** @jsxImportSource preact */
import { useEffect } from "preact/hooks";
import { KEY_CLASS, STRING_CLASS } from "@/lib/highlight/classes";
import { KeyOptions } from "./key-options";
import { keyActions, useKeyState } from "./key-store";

/** API Gateway key values are letters and digits, 20 to 128 of them: anything else is never written into a sample. */
export const KEY_VALUE = /^[A-Za-z0-9]{20,128}$/;
const HINT = /^[A-Za-z0-9]{1,8}$/;

/**
 * What the samples show for the chosen key: its value once revealed, else its masked hint; null
 * (the samples keep reading $API_KEY) when no key is chosen or what the portal gave doesn't look
 * like a key.
 */
export function sampleKeyText(key: { hint: string } | undefined, value: string | undefined): string | null {
  if (!key) return null;
  if (value !== undefined) return KEY_VALUE.test(value) ? value : null;
  return HINT.test(key.hint) ? `••••••••${key.hint}` : null;
}

/** Each key span's server-rendered content (the highlighted environment expression), to put back. */
const environment = new WeakMap<HTMLElement, Node[]>();

/**
 * Writes `text` into every sample's key span (lib/highlight marks them, server-rendered): quoted
 * as a string in code, bare inside curl's double-quoted header; the environment expression the
 * server wrote comes back when `text` is null. Only letters, digits and • ever get here.
 */
export function writeSampleKeys(text: string | null, root: ParentNode = document) {
  for (const span of root.querySelectorAll<HTMLElement>(`.${KEY_CLASS}[data-sample-key]`)) {
    if (!environment.has(span)) environment.set(span, [...span.childNodes]);
    if (text === null) {
      span.replaceChildren(...environment.get(span)!);
      span.classList.remove(STRING_CLASS);
    } else {
      span.textContent = span.dataset.sampleKey === "quoted" ? `"${text}"` : text;
      span.classList.add(STRING_CLASS);
    }
  }
}

/**
 * A sample's text for the clipboard: a masked key (••••…, not yet revealed) goes back to the
 * environment expression the server wrote, so what is copied always runs — with $API_KEY until the
 * reader reveals their key.
 */
export function copyableSampleText(pre: Element): string {
  const copy = pre.cloneNode(true) as Element;
  const originals = pre.querySelectorAll<HTMLElement>(`.${KEY_CLASS}[data-sample-key]`);
  const spans = copy.querySelectorAll<HTMLElement>(`.${KEY_CLASS}[data-sample-key]`);
  originals.forEach((original, i) => {
    const nodes = environment.get(original);
    if (nodes && original.textContent?.includes("•")) spans[i]?.replaceChildren(...nodes.map((n) => n.cloneNode(true)));
  });
  return copy.textContent ?? "";
}

/**
 * The signed-in reader's key for this page's samples and try-it (the shared key-store): chosen
 * from their active keys, masked (its last characters) until they choose Reveal, which fetches the
 * value for this page view only.
 */
export function KeyPicker({ idBase = "key-picker" }: { idBase?: string }) {
  const { keys, selectedId, key, value, busy, error } = useKeyState();
  const text = sampleKeyText(key, value);

  useEffect(() => writeSampleKeys(text), [text]);

  if (!keys) return null;
  if (keys.length === 0)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Samples read the key from <code className="font-mono">$API_KEY</code>. Create a key on your{" "}
        <a href="/dashboard" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
          dashboard
        </a>{" "}
        to see it here.
      </p>
    );
  const button = "focus-ring rounded-md border border-zinc-300 px-2 py-1 font-medium disabled:opacity-60 dark:border-zinc-700";
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor={`${idBase}-key`} className="font-medium">
        Your API key
      </label>
      <select
        id={`${idBase}-key`}
        value={selectedId}
        onChange={(e) => keyActions.select(e.currentTarget.value)}
        className="focus-ring min-w-0 rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
      >
        <KeyOptions keys={keys} />
        <option value="">$API_KEY from the environment</option>
      </select>
      {key &&
        (value ? (
          <button type="button" onClick={() => keyActions.hide()} className={button}>
            Hide key
          </button>
        ) : (
          <button type="button" onClick={() => void keyActions.reveal()} disabled={busy} className={button}>
            {busy ? "Revealing…" : "Reveal key"}
          </button>
        ))}
      {key && !value && <span className="text-zinc-600 dark:text-zinc-400">Reveal the key to copy samples that use it.</span>}
      {value !== undefined && !KEY_VALUE.test(value) && (
        <p role="alert" className="w-full text-red-700 dark:text-red-400">
          This key doesn&apos;t look like an API Gateway key: the samples keep reading $API_KEY.
        </p>
      )}
      {error && (
        <p role="alert" className="w-full text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
