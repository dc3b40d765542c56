export interface RouteMatch<H> {
  operation: string;
  handler: H;
  params: Record<string, string>;
}

/** A tiny method + path-template router (`/usageplans/{usagePlanId}/keys`). */
export class Router<H> {
  private readonly routes: { method: string; pattern: RegExp; query?: [string, string]; operation: string; handler: H }[] = [];

  add(method: string, template: string, operation: string, handler: H): this {
    const [path, query] = template.split("?");
    const pattern = new RegExp(`^${path!.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}/?$`);
    this.routes.push({ method, pattern, query: query?.split("=") as [string, string] | undefined, operation, handler });
    return this;
  }

  match(method: string, url: URL): RouteMatch<H> | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      if (route.query && url.searchParams.get(route.query[0]) !== route.query[1]) continue;
      const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      return { operation: route.operation, handler: route.handler, params };
    }
    return undefined;
  }

  /** True when some route matches the path with another method (→ 405-ish answer). */
  knowsPath(url: URL): boolean {
    return this.routes.some((r) => r.pattern.test(url.pathname));
  }
}
