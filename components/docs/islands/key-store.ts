import { useEffect, useState } from "preact/hooks";
import { apiFetch } from "@/components/ui/api-fetch";
import type { KeyView } from "@/lib/access/types";

/**
 * The signed-in reader's keys and the one they chose, shared by every island on a docs page (the
 * key picker, the code samples, try-it): choose a key once and everything on the page uses it.
 * The list comes from the portal's rows (no control-plane call); only reveal() makes one.
 */
export interface KeyState {
  /** null until loaded; only active keys. */
  keys: KeyView[] | null;
  /** The chosen key's id; "" = none (samples read $API_KEY). */
  selectedId: string;
  /** Values revealed during this page view, by key id (never stored anywhere else). */
  revealed: Record<string, string>;
  busy: boolean;
  error: string | null;
}

let state: KeyState = { keys: null, selectedId: "", revealed: {}, busy: false, error: null };
const listeners = new Set<(s: KeyState) => void>();
let loading: Promise<void> | null = null;

function set(patch: Partial<KeyState>) {
  state = { ...state, ...patch };
  for (const listener of listeners) listener(state);
}

function load() {
  loading ??= apiFetch<{ keys: KeyView[] }>("/api/keys").then((result) => {
    const keys = result.ok ? result.data.keys.filter((k) => k.state === "active") : [];
    set({ keys, selectedId: keys[0]?.id ?? "", ...(result.ok ? {} : { error: result.error.message }) });
  });
  return loading;
}

export const keyActions = {
  select(id: string) {
    set({ selectedId: id, error: null });
  },
  async reveal() {
    const id = state.selectedId;
    if (!id || state.revealed[id]) return;
    set({ busy: true, error: null });
    const result = await apiFetch<{ value: string }>(`/api/keys/${encodeURIComponent(id)}/reveal`, { method: "POST" });
    if (result.ok) set({ busy: false, revealed: { ...state.revealed, [id]: result.data.value } });
    else set({ busy: false, error: result.error.message });
  },
  hide() {
    const { [state.selectedId]: _hidden, ...rest } = state.revealed;
    set({ revealed: rest });
  },
};

/** The shared state; the first island to mount loads the key list (once per page view). */
export function useKeyState(): KeyState & { key: KeyView | undefined; value: string | undefined } {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    void load();
    return () => void listeners.delete(setCurrent);
  }, []);
  const key = current.keys?.find((k) => k.id === current.selectedId);
  return { ...current, key, value: key ? current.revealed[key.id] : undefined };
}
