import { h } from "preact";
import { render } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { TryIt } from "@/components/docs/islands/try-it";
import type { TryItOperation } from "@/lib/openapi/try-it";

describe("the try-it form's fields", () => {
  it("are labelled by ids made from their position, whatever the parameter's name holds", () => {
    const names = ['sort by "name"', "page size", "a'b"];
    const operation: TryItOperation = {
      slug: "list-things",
      method: "GET",
      path: "/things",
      servers: ["https://api.example.com"],
      apiKeyRequired: false,
      parameters: names.map((name, i) => ({ name, in: "query", required: false, ...(i === 2 ? { enum: ["x", "y"] } : {}) })),
      bodies: [],
    };
    const html = render(h(TryIt, { api: "things", operation }));
    const labels = [...html.matchAll(/<label for="([^"]*)"/g)].map((m) => m[1]);
    const fields = [...html.matchAll(/<(?:input|select) id="([^"]*)" name="([^"]*)"/g)].map((m) => ({ id: m[1], name: m[2] }));
    expect(fields.map((f) => f.id)).toEqual(["try-list-things-p0", "try-list-things-p1", "try-list-things-p2"]);
    expect(labels).toEqual(expect.arrayContaining(fields.map((f) => f.id)));
    for (const { id } of fields) expect(id).toMatch(/^[\w-]+$/);
    // The form fields keep their names: that's what is sent.
    expect(fields.map((f) => f.name)).toEqual(["query:sort by &quot;name&quot;", "query:page size", "query:a'b"]);
  });
});
