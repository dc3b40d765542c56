// The docs pages' only script (bundled by lib/build/docs-assets.ts): hydrates each server-rendered
// island, and makes the header's theme button and search box work as the App Router pages do.
import { h, hydrate } from "preact";
import { bindHeaderSearch } from "@/components/shell/search";
import { bindThemeToggles } from "@/components/shell/theme";
import { ISLANDS, type IslandName } from "./registry";

// The page painted with its own rules inline (components/docs/document.tsx); what islands render
// later may need any of the rest.
for (const link of document.querySelectorAll<HTMLLinkElement>("link[data-whole-stylesheet]")) link.media = "all";
bindThemeToggles();
bindHeaderSearch();
for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const component = ISLANDS[element.dataset.island as IslandName];
  if (!component) continue;
  // One island failing must not leave the others on the page dead: each hydrates on its own.
  try {
    const props = JSON.parse(element.dataset.props ?? "{}") as object;
    hydrate(h(component as never, props), element);
  } catch (error) {
    console.error(`[docs] the ${element.dataset.island} island could not start:`, error);
  }
}
