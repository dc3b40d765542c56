import { readFileSync } from "node:fs";
import path from "node:path";
import { h as createElement, type ComponentProps } from "preact";
import { render as renderToStaticMarkup } from "preact-render-to-string";
import { DocsSidebar } from "@/components/docs/docs-sidebar";
import { OperationView } from "@/components/docs/operation-view";
import type { ApiDocument, Operation, SpecSource } from "@/lib/openapi";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A spec file by repo-relative path, as the catalog would hand it over. */
export function source(relative: string): SpecSource {
  return { file: relative, text: readFileSync(path.isAbsolute(relative) ? relative : path.join(ROOT, relative), "utf8") };
}

export const fixture = (name: string) => source(`tests/fixtures/openapi/${name}`);

export function renderOperation(operation: Operation): string {
  return renderToStaticMarkup(createElement(OperationView, { operation }));
}

export function renderSidebar(doc: ApiDocument, props: Partial<ComponentProps<typeof DocsSidebar>> = {}): string {
  return renderToStaticMarkup(
    createElement(DocsSidebar, {
      tags: doc.tags,
      hrefForOperation: (slug: string) => `/apis/x/operations/${slug}`,
      hrefForTag: (slug: string) => `/apis/x/tags/${slug}`,
      ...props,
    }),
  );
}

/** The operation page as the portal composes it: sidebar + operation. */
export function renderOperationPage(doc: ApiDocument, operation: Operation): string {
  return renderSidebar(doc, { currentSlug: operation.slug }) + renderOperation(operation);
}

export function op(doc: ApiDocument, slug: string): Operation {
  const found = doc.operations.get(slug);
  if (!found) throw new Error(`no operation ${slug}; have ${[...doc.operations.keys()].join(", ")}`);
  return found;
}
