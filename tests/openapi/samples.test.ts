import { describe, expect, it } from "vitest";
import { buildSamples } from "@/lib/openapi/samples";
import type { TryItOperation } from "@/lib/openapi/try-it";
import { argvOf, hasPython, HOSTILE, nothingRan, python, SHELLS } from "../components/hostile-values";

const operation = {
  method: "POST",
  path: "/pets/{petId}",
  apiKeyRequired: true,
  parameters: [{ in: "path", name: "petId", required: true, example: '"42"' }],
  bodies: [{ contentType: "application/json", example: '{\n  "name": "Rex",\n  "vaccinated": true\n}' }],
} as unknown as TryItOperation;

describe("code samples", () => {
  it("read the key from the environment by default", () => {
    const { curl, javascript, python } = buildSamples(operation, "https://api.example.com/prod");
    expect(curl).toContain("curl --request 'POST' --url 'https://api.example.com/prod/pets/42'");
    expect(curl).toContain('-H "x-api-key: $API_KEY"');
    expect(javascript).toContain('"x-api-key": process.env.API_KEY');
    expect(python).toContain('headers={"x-api-key": os.environ["API_KEY"], "content-type": "application/json"}');
    expect(python).toContain('"vaccinated": True');
  });

  it("write in the developer's own key when one is chosen", () => {
    const { curl, javascript, python } = buildSamples(operation, "https://api.example.com/prod", { kind: "literal", value: "AbCdEfGhIjKlMnOpQrSt1234" });
    expect(curl).toContain("-H 'x-api-key: AbCdEfGhIjKlMnOpQrSt1234'");
    expect(javascript).toContain('"x-api-key": "AbCdEfGhIjKlMnOpQrSt1234"');
    expect(python).toContain('headers={"x-api-key": "AbCdEfGhIjKlMnOpQrSt1234"');
    expect(python).not.toContain("import os");
  });

  it("send a bearer token from the environment for a bearer-token API, never a chosen API key", () => {
    const tokenOperation = { ...operation, apiKeyRequired: false, bearerRequired: true } as TryItOperation;
    for (const key of [undefined, { kind: "literal" as const, value: "AbCdEfGhIjKlMnOpQrSt1234" }]) {
      const { curl, javascript, python } = buildSamples(tokenOperation, "https://portal.example.com/api/v1", key);
      expect(curl).toContain('-H "Authorization: Bearer $API_TOKEN"');
      expect(javascript).toContain('"Authorization": `Bearer ${process.env.API_TOKEN}`');
      expect(python).toContain('headers={"Authorization": "Bearer " + os.environ["API_TOKEN"]');
      expect(python).toMatch(/^import os/);
      for (const text of [curl, javascript, python]) expect(text).not.toMatch(/x-api-key|AbCdEf/);
    }
  });
});

/**
 * A spec whose server URL, content type and examples try to break out of the samples: each sample
 * is run (curl replaced by a function printing its arguments, fetch and requests by stubs) and
 * must send exactly the values the spec gave, having run nothing else.
 */
describe("code samples from a hostile spec send what it says and run nothing", () => {
  const server = `https://api.example.com/${HOSTILE.slice(0, 5).join("")}`;
  const bodyValue = { name: HOSTILE[0], all: HOSTILE, ok: true, none: null, [HOSTILE[3]!]: [1.5, false] };
  const stringBody = HOSTILE.join(" ");
  const hostile = (contentType: string, example: string) =>
    ({ method: "PUT", path: "/items", apiKeyRequired: true, parameters: [], bodies: [{ contentType, example }] }) as unknown as TryItOperation;
  const key = { kind: "literal", value: HOSTILE[1]! } as const;

  // A JSON body as its text, a JSON string example that isn't JSON, and a text body.
  const cases = [
    { name: "a JSON body", op: hostile("application/json; x=\"$(id)'`", JSON.stringify(bodyValue, null, 2)), json: bodyValue },
    { name: "a JSON body that is a plain string", op: hostile("application/problem+json", stringBody), json: stringBody },
    { name: "a text body starting with @", op: hostile("text/plain", `@/etc/passwd ${stringBody}`), text: `@/etc/passwd ${stringBody}` },
  ];

  for (const { name, op, json, text } of cases) {
    const contentType = op.bodies[0]!.contentType;
    const samples = buildSamples(op, server, key);
    const sent = json === undefined ? text! : JSON.stringify(json);

    it.each(SHELLS)(`curl, ${name}, in %s`, (shell) => {
      const argv = argvOf(shell, samples.curl);
      const wellFormed = (s: string) => Buffer.from(s.replaceAll("\0", "")).toString();
      expect(argv.slice(0, 6)).toEqual(["--request", "PUT", "--url", `${server}/items`, "-H", wellFormed(`x-api-key: ${key.value}`)]);
      expect(argv.slice(6, 8)).toEqual(["-H", `content-type: ${contentType}`]);
      expect(argv[8]).toBe("--data-raw");
      const data = argv[9]!;
      if (json === undefined) expect(data).toBe(wellFormed(text!));
      else expect(JSON.parse(data)).toEqual(JSON.parse(wellFormed(sent)));
      expect(argv).toHaveLength(10);
      nothingRan();
    });

    it(`JavaScript, ${name}`, async () => {
      const calls: [string, RequestInit][] = [];
      const fetch = async (url: string, init: RequestInit) => (calls.push([url, init]), { status: 200, json: async () => ({}) });
      const run = new Function("fetch", "console", `return (async () => {\n${samples.javascript}\n})();`) as (...args: unknown[]) => Promise<void>;
      await run(fetch, { log() {} });
      const body = json === undefined ? Buffer.from(text!).toString() : sent;
      expect(calls).toEqual([[`${server}/items`, { method: "PUT", headers: { "x-api-key": key.value, "content-type": contentType }, body }]]);
    });

    it.runIf(hasPython)(`Python, ${name}`, () => {
      const stub = [
        "import json, sys, types",
        "requests = types.ModuleType('requests')",
        "class Response:\n    status_code = 200\n    def json(self): return {}",
        "def request(method, url, headers=None, json=None, data=None):",
        "    sys.stdout.write(__import__('json').dumps({'method': method, 'url': url, 'headers': headers, 'json': json, 'data': data.decode('utf-8') if data is not None else None}))",
        "    return Response()",
        "requests.request = request",
        "sys.modules['requests'] = requests",
        "print = lambda *args: None",
      ].join("\n");
      expect(python(`${stub}\n${samples.python}`)).toEqual({
        method: "PUT",
        url: `${server}/items`,
        headers: { "x-api-key": key.value, "content-type": contentType },
        json: json ?? null,
        data: json === undefined ? Buffer.from(text!).toString() : null, // a lone surrogate becomes U+FFFD
      });
      nothingRan();
    });
  }
});
