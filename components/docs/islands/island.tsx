/** @jsxImportSource preact */
import type { ComponentProps, FunctionComponent } from "preact";
import { ISLANDS, type IslandName } from "./registry";

/** Server side: the component's HTML in a wrapper that names it and carries its props for hydration. */
export function Island<N extends IslandName>({ name, props }: { name: N; props: ComponentProps<(typeof ISLANDS)[N]> }) {
  const Component = ISLANDS[name] as unknown as FunctionComponent<object>;
  return (
    <div data-island={name} data-props={JSON.stringify(props)}>
      <Component {...props} />
    </div>
  );
}
