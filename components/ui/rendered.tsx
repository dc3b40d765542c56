import { h, type ComponentType } from "preact";
import { render } from "preact-render-to-string";

/**
 * A Preact component (components/docs, the shared chrome in components/shell) inside a React
 * page: its HTML, rendered on the server. Only for components without islands. `as="span"` where
 * only phrasing content may go (inside <summary> or <a>); `className="contents"` lets the
 * component's own elements lay out as if the wrapper weren't there.
 */
export function Rendered<P extends object>({
  component,
  props,
  className,
  as: Wrapper = "div",
}: {
  component: ComponentType<P>;
  props: P;
  className?: string;
  as?: "div" | "span";
}) {
  return <Wrapper className={className} dangerouslySetInnerHTML={{ __html: render(h(component, props)) }} />;
}
