import { h, type ComponentType } from "preact";
import { render } from "preact-render-to-string";

/**
 * A Preact component (components/docs, the shared footer) inside a React page: its
 * HTML, rendered on the server. Only for components without islands.
 */
export function Rendered<P extends object>({ component, props, className }: { component: ComponentType<P>; props: P; className?: string }) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: render(h(component, props)) }} />;
}
