// The docs pages' only script (bundled by lib/docs/assets.ts): hydrates each server-rendered island.
import { h, hydrate } from "preact";
import { ISLANDS, type IslandName } from "./registry";

for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const component = ISLANDS[element.dataset.island as IslandName];
  if (!component) continue;
  const props = JSON.parse(element.dataset.props ?? "{}") as object;
  hydrate(h(component as never, props), element);
}
