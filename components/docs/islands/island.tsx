/** @jsxImportSource preact */
import type { ComponentProps, FunctionComponent } from "preact";
import { ISLANDS, type IslandName } from "./registry";

/**
 * Server side: the component's HTML in a wrapper that names it and carries its props for hydration.
 * `className="contents"` lets the component's own elements lay out as if the wrapper weren't there.
 */
export function Island<N extends IslandName>({ name, props, className }: { name: N; props: ComponentProps<(typeof ISLANDS)[N]>; className?: string }) {
  const Component = ISLANDS[name] as unknown as FunctionComponent<object>;
  return (
    <div data-island={name} data-props={JSON.stringify(props)} className={className}>
      <Component {...props} />
    </div>
  );
}
