// The header search's behaviour on every page (header-parts.tsx draws it; the App Router pages bind
// it through search-behaviour.tsx, the docs documents from their islands script): `/`, Ctrl-K and
// ⌘K focus it, typing lists results from /api/search in a listbox (the ARIA combobox pattern),
// arrows move through them, Enter opens one, Escape closes. Without a script the box is a plain
// form to /search. Listeners sit on the document, so the header's HTML may be redrawn freely.

export const SEARCH_FORM_ID = "header-search-form";
export const SEARCH_INPUT_ID = "header-search";
export const SEARCH_RESULTS_ID = "header-search-results";
/** What the box's hint shows and aria-keyshortcuts announces. */
export const SEARCH_SHORTCUTS = "/ Control+K Meta+K";

interface Hit {
  title: string;
  label: string;
  href: string;
  snippet?: string;
}

const OPTION =
  "block cursor-pointer rounded-md px-3 py-2 aria-selected:bg-brand-50 aria-selected:ring-1 aria-selected:ring-brand-600 hover:bg-zinc-100 dark:hover:bg-zinc-800 dark:aria-selected:bg-zinc-800";
const LIMIT = 8;
const DEBOUNCE_MS = 60;

export function bindHeaderSearch(): () => void {
  const elements = () => {
    const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
    const list = document.getElementById(SEARCH_RESULTS_ID);
    const form = input?.form ?? null;
    return input && list && form ? { input, list, form, panel: list.parentElement!, status: form.querySelector<HTMLElement>("[data-search-status]") } : null;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const cache = new Map<string, Hit[]>();

  const options = (list: HTMLElement) => [...list.querySelectorAll<HTMLElement>("[role=option]")];

  const close = () => {
    const found = elements();
    if (!found) return;
    clearTimeout(timer);
    found.panel.hidden = true;
    found.input.setAttribute("aria-expanded", "false");
    found.input.removeAttribute("aria-activedescendant");
  };

  /** On narrow screens the box sits behind the header's search button: show it (or hide it again). */
  const reveal = (open: boolean) => {
    const found = elements();
    if (!found) return;
    found.form.toggleAttribute("data-open", open);
    document.querySelector("[data-search-open]")?.setAttribute("aria-expanded", String(open));
    if (open) {
      found.input.focus();
      found.input.select();
    } else close();
  };

  const select = (index: number) => {
    const found = elements();
    if (!found) return;
    const all = options(found.list);
    all.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    const chosen = all[index];
    if (chosen) {
      found.input.setAttribute("aria-activedescendant", chosen.id);
      chosen.scrollIntoView({ block: "nearest" });
    } else found.input.removeAttribute("aria-activedescendant");
  };

  const show = (query: string, hits: Hit[]) => {
    const found = elements();
    if (!found || found.input.value.trim() !== query) return;
    const items = hits.map((hit, i) => option(`${SEARCH_RESULTS_ID}-${i}`, hit.href, hit.title, hit.label, hit.snippet));
    if (hits.length) items.push(option(`${SEARCH_RESULTS_ID}-all`, `/search?q=${encodeURIComponent(query)}`, `All results for “${query}”`));
    found.list.replaceChildren(...items);
    found.list.hidden = !hits.length;
    const empty = found.panel.querySelector<HTMLElement>("[data-search-empty]");
    if (empty) {
      empty.textContent = `No results for “${query}”`;
      empty.hidden = hits.length > 0;
    }
    if (found.status)
      found.status.textContent = hits.length
        ? `${hits.length} result${hits.length === 1 ? "" : "s"}, up and down arrows to choose`
        : `No results for “${query}”`;
    found.panel.hidden = false;
    found.input.setAttribute("aria-expanded", String(hits.length > 0));
    found.input.removeAttribute("aria-activedescendant");
  };

  const lookUp = (query: string) => {
    clearTimeout(timer);
    if (!query) return close();
    const known = cache.get(query);
    if (known) return show(query, known);
    const ticket = ++asked;
    timer = setTimeout(() => {
      fetch(`/api/search?q=${encodeURIComponent(query)}&limit=${LIMIT}`, { headers: { accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ hits: Hit[] }>) : { hits: [] }))
        .then(({ hits }) => {
          if (cache.size > 50) cache.clear();
          cache.set(query, hits);
          if (ticket === asked) show(query, hits);
        })
        .catch(() => undefined);
    }, DEBOUNCE_MS);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    const found = elements();
    if (!found) return;
    const target = event.target as HTMLElement | null;
    const inBox = target === found.input;
    const shortcut =
      (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !editable(target)) ||
      (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey);
    if (shortcut && !inBox) {
      event.preventDefault();
      reveal(true);
      return;
    }
    if (!inBox) return;
    const all = options(found.list);
    const current = all.findIndex((option) => option.getAttribute("aria-selected") === "true");
    const open = !found.panel.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) {
        if (found.input.value.trim()) lookUp(found.input.value.trim());
        return;
      }
      if (!all.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      select(current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length);
    } else if (event.key === "Enter" && open && current >= 0) {
      event.preventDefault();
      location.assign(all[current]!.dataset.href!);
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      } else if (found.form.hasAttribute("data-open")) {
        event.preventDefault();
        reveal(false);
        document.querySelector<HTMLElement>("[data-search-open]")?.focus();
      }
    }
  };

  const onInput = (event: Event) => {
    if ((event.target as HTMLElement | null)?.id === SEARCH_INPUT_ID) lookUp((event.target as HTMLInputElement).value.trim());
  };

  const onClick = (event: MouseEvent) => {
    const target = event.target instanceof Element ? event.target : null;
    const opener = target?.closest("[data-search-open]");
    if (opener) {
      event.preventDefault();
      reveal(!elements()?.form.hasAttribute("data-open"));
      return;
    }
    const chosen = target?.closest<HTMLElement>(`#${SEARCH_RESULTS_ID} [role=option]`);
    if (chosen?.dataset.href) {
      location.assign(chosen.dataset.href);
      return;
    }
    const found = elements();
    if (found && !found.form.contains(target)) close();
  };

  // Clicking an option must not take focus from the box first.
  const onMouseDown = (event: MouseEvent) => {
    if (event.target instanceof Element && event.target.closest(`#${SEARCH_RESULTS_ID}`)) event.preventDefault();
  };

  const onFocusOut = (event: FocusEvent) => {
    const found = elements();
    if (found && event.target === found.input && event.relatedTarget instanceof Node && !found.form.contains(event.relatedTarget)) close();
  };

  const onFocusIn = (event: FocusEvent) => {
    const found = elements();
    if (found && event.target === found.input && found.input.value.trim() && found.panel.hidden) lookUp(found.input.value.trim());
  };

  const listeners = [
    ["keydown", onKeyDown],
    ["input", onInput],
    ["click", onClick],
    ["mousedown", onMouseDown],
    ["focusout", onFocusOut],
    ["focusin", onFocusIn],
  ] as const;
  for (const [type, listener] of listeners) document.addEventListener(type, listener as EventListener);
  return () => {
    clearTimeout(timer);
    for (const [type, listener] of listeners) document.removeEventListener(type, listener as EventListener);
  };
}

function option(id: string, href: string, title: string, label?: string, snippet?: string): HTMLElement {
  const item = document.createElement("li");
  item.id = id;
  item.setAttribute("role", "option");
  item.setAttribute("aria-selected", "false");
  item.dataset.href = href;
  item.className = OPTION;
  item.append(line("block truncate text-sm font-medium", title));
  if (label) item.append(line("block truncate text-xs text-zinc-600 dark:text-zinc-400", label));
  if (snippet) item.append(line("block truncate text-xs text-zinc-700 dark:text-zinc-300", snippet));
  return item;
}

function line(className: string, text: string): HTMLElement {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

function editable(target: HTMLElement | null): boolean {
  if (!target) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}
