import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { buildTargetUrl, relay } from "@/lib/try-it/relay";

describe("try-it target URLs", () => {
  const base = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";

  it("expands path parameters under the stage", () => {
    expect(buildTargetUrl(base, "/pets/{petId}", { petId: "42" }, { limit: "5", empty: "" }).toString()).toBe(`${base}/pets/42?limit=5`);
  });

  it("encodes parameters so they cannot climb out of the stage or the API", () => {
    const url = buildTargetUrl(base, "/pets/{petId}", { petId: "../../other-stage/admin" }, {});
    expect(url.pathname).toBe("/prod/pets/..%2F..%2Fother-stage%2Fadmin");
    expect(url.host).toBe("abc123.execute-api.eu-west-1.amazonaws.com");
    expect(buildTargetUrl(base, "/pets/{petId}", { petId: "@evil.example" }, {}).host).toBe("abc123.execute-api.eu-west-1.amazonaws.com");
  });

  it("refuses dot segments and sibling stages (the resolved path stays under /prod/)", () => {
    for (const [a, b] of [
      ["..", "prod-internal"],
      ["%2e%2e", "prod-internal"],
      ["%2E.", "prodadmin"],
      [".", "x"],
    ]) {
      expect(() => buildTargetUrl(base, "/{a}/{b}/orders", { a: a!, b: b! }, {}), `${a}/${b}`).toThrow(AppError);
    }
    // A template from a spec can't leave the stage either.
    expect(() => buildTargetUrl(base, "/../prod-internal/orders", {}, {})).toThrow("That path leaves the API.");
    expect(() => buildTargetUrl(base, "/%2e%2e/prodadmin", {}, {})).toThrow("That path leaves the API.");
    expect(buildTargetUrl(base, "/{a}", { a: "..." }, {}).pathname).toBe("/prod/...");
    expect(buildTargetUrl(base, "", {}, {}).pathname).toBe("/prod");
  });

  it("stays inside the stage for any parameter values (or refuses them with a 400)", () => {
    const value = fc.oneof(fc.constantFrom(".", "..", "%2e", "%2e%2e", "/", "\\", "prod-internal", "..%2f", "?", "#", "@evil.example", ":"), fc.string());
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), (values) => {
        const template = values.map((_, i) => `/{p${i}}`).join("") + "/orders";
        const params = Object.fromEntries(values.map((v, i) => [`p${i}`, v]));
        let url: URL;
        try {
          url = buildTargetUrl(base, template, params, {});
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe("bad_request");
          return;
        }
        expect(url.origin).toBe("https://abc123.execute-api.eu-west-1.amazonaws.com");
        expect(url.pathname.startsWith("/prod/")).toBe(true);
        expect(url.pathname.split("/").slice(2)).toHaveLength(values.length + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a path parameter that isn't well-formed text (a 400, not a URIError's 500)", () => {
    expect(() => buildTargetUrl(base, "/pets/{id}", { id: "\ud800" }, {})).toThrow(AppError);
    expect(buildTargetUrl(base, "/pets/{id}", { id: "\ud83d\ude00" }, {}).pathname).toBe("/prod/pets/%F0%9F%98%80");
  });

  it("caps the query string", () => {
    expect(() => buildTargetUrl(base, "/pets", {}, { q: "x".repeat(9000) })).toThrow("The query string is too long");
    expect(buildTargetUrl(base, "/pets", {}, { q: "x".repeat(4000) }).search).toHaveLength(4003);
  });

  it("asks for missing path parameters", () => {
    expect(() => buildTargetUrl(base, "/pets/{petId}", {}, {})).toThrow(AppError);
    expect(() => buildTargetUrl(base, "/pets/{petId}", {}, {})).toThrow("Fill in the path parameter 'petId'.");
  });
});

describe("the relay", () => {
  let server: Server;
  let base: string;
  const seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url?.startsWith("/prod/big")) {
          res.writeHead(200, { "content-type": "text/plain" });
          return res.end("x".repeat(300 * 1024));
        }
        res.writeHead(201, { "content-type": "application/json", "set-cookie": "a=b", "x-amzn-requestid": "r1" });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("sends the key, the body and the query, and reports status, chosen headers and body", async () => {
    const out = await relay({
      invokeUrl: base,
      method: "POST",
      pathTemplate: "/pets",
      pathParams: {},
      query: { dryRun: "true" },
      body: '{"name":"Rex"}',
      apiKey: "k".repeat(40),
    });
    expect(out).toMatchObject({ status: 201, body: '{"ok":true}', truncated: false });
    expect(out.headers).toContainEqual(["x-amzn-requestid", "r1"]);
    expect(out.headers.map(([name]) => name)).not.toContain("set-cookie");
    expect(seen.at(-1)).toMatchObject({
      method: "POST",
      url: "/prod/pets?dryRun=true",
      body: '{"name":"Rex"}',
      headers: { "x-api-key": "k".repeat(40), "content-type": "application/json" },
    });
  });

  it("never sends a body with GET and caps large responses", async () => {
    const out = await relay({ invokeUrl: base, method: "GET", pathTemplate: "/big", pathParams: {}, query: {}, body: "ignored" });
    expect(seen.at(-1)?.body).toBe("");
    expect(out.truncated).toBe(true);
    expect(out.body.length).toBe(256 * 1024);
  });

  it("turns an unreachable API into a clear error", async () => {
    await expect(relay({ invokeUrl: "http://127.0.0.1:1/prod", method: "GET", pathTemplate: "/x", pathParams: {}, query: {} })).rejects.toMatchObject({
      code: "unavailable",
      message: "The API could not be reached.",
    });
  });
});
