import { useEffect, useState } from "preact/hooks";
import { apiFetch } from "@/components/ui/api-fetch";
import type { KeyView } from "@/lib/access/types";

/**
 * The signed-in reader's keys and the one they chose, shared by every island on a docs page (the
 * key picker, the code samples, try-it): choose a key once and everything on the page uses it.
 * The list comes from the portal's rows (no control-plane call); only reveal() makes one.
 */
/** A key the reader may use: their own, or one of a team's whose keys they may use (`team`). */
export type PickableKey = KeyView & { team?: { slug: string; name: string } };

export interface KeyState {
  /** null until loaded; only active keys, theirs first, then each team's. */
  keys: PickableKey[] | null;
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

type KeyLists = { keys: KeyView[]; teams?: { slug: string; name: string; keys: KeyView[] }[] };

function load() {
  loading ??= apiFetch<KeyLists>("/api/keys?include=teams").then((result) => {
    const all: PickableKey[] = result.ok
      ? [...result.data.keys, ...(result.data.teams ?? []).flatMap(({ slug, name, keys }) => keys.map((k) => ({ ...k, team: { slug, name } })))]
      : [];
    const keys = all.filter((k) => k.state === "active");
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
    const team = state.keys?.find((k) => k.id === id)?.team;
    set({ busy: true, error: null });
    // A team key's reveal is the team's to audit (who saw which value).
    const query = team ? `?team=${encodeURIComponent(team.slug)}` : "";
    const result = await apiFetch<{ value: string }>(`/api/keys/${encodeURIComponent(id)}/reveal${query}`, { method: "POST" });
    if (result.ok) set({ busy: false, revealed: { ...state.revealed, [id]: result.data.value } });
    else set({ busy: false, error: result.error.message });
  },
  hide() {
    const { [state.selectedId]: _hidden, ...rest } = state.revealed;
    set({ revealed: rest });
  },
};

/** The shared state; the first island to mount loads the key list (once per page view). */
export function useKeyState(): KeyState & { key: PickableKey | undefined; value: string | undefined } {
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
