import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSamples, markedSamples, SAMPLE_LANGUAGES } from "@/lib/openapi/samples";
import type { TryItOperation } from "@/lib/openapi/try-it";
import { ANSI_C_SHELLS, argvOf, hasPython, itNeeds, HOSTILE, nothingRan, python, SHELLS } from "../components/hostile-values";

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
    expect(curl).toContain("curl --request 'POST' --globoff --url 'https://api.example.com/prod/pets/42'");
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

describe("code samples in every language", () => {
  it("has eight languages, each reading the key from its environment", () => {
    const samples = buildSamples(operation, "https://api.example.com/prod");
    expect(Object.keys(samples)).toEqual(["curl", "javascript", "python", "go", "java", "ruby", "php", "csharp"]);
    expect(samples.go).toContain('req.Header.Set("x-api-key", os.Getenv("API_KEY"))');
    expect(samples.java).toContain('.header("x-api-key", System.getenv("API_KEY"))');
    expect(samples.ruby).toContain('request["x-api-key"] = ENV.fetch("API_KEY")');
    expect(samples.php).toContain('"x-api-key: " . getenv("API_KEY")');
    expect(samples.csharp).toContain('request.Headers.Add("x-api-key", Environment.GetEnvironmentVariable("API_KEY"));');
    for (const code of Object.values(samples)) expect(code).toMatch(/pets\/42/);
  });

  it("marks where the key is, so that writing a key there gives the sample with that key written in", () => {
    const key = "AbCdEfGhIjKlMnOpQrSt1234";
    const written = buildSamples(operation, "https://api.example.com/prod", { kind: "literal", value: key });
    const marked = markedSamples(operation, "https://api.example.com/prod");
    expect(marked.map((m) => m.id)).toEqual(SAMPLE_LANGUAGES.map((l) => l.id));
    for (const sample of marked) {
      const { start, end, spelling } = sample.key!;
      const code = sample.code.slice(0, start) + (spelling === "quoted" ? `"${key}"` : key) + sample.code.slice(end);
      if (sample.id === "curl") expect(code).toContain(`-H "x-api-key: ${key}"`);
      // Python keeps its (then unused) import os.
      else if (sample.id === "python") expect(code).toBe(`import os\n${written.python}`);
      else expect(code).toBe(written[sample.id]);
    }
  });

  it("marks no key where the API takes none", () => {
    const open = { ...operation, apiKeyRequired: false } as TryItOperation;
    for (const sample of markedSamples(open, "https://api.example.com")) {
      expect(sample.key).toBeUndefined();
      expect(sample.code).not.toMatch(/API_KEY|x-api-key/);
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

    // The bodies hold control or invisible characters: written as $'…', which dash and fish don't read.
    it.each(ANSI_C_SHELLS)(`curl, ${name}, in %s`, (shell) => {
      const argv = argvOf(shell, samples.curl);
      const wellFormed = (s: string) => Buffer.from(s.replaceAll("\0", "")).toString();
      expect(argv.slice(0, 7)).toEqual(["--request", "PUT", "--globoff", "--url", `${server}/items`, "-H", wellFormed(`x-api-key: ${key.value}`)]);
      expect(argv.slice(7, 9)).toEqual(["-H", `content-type: ${contentType}`]);
      expect(argv[9]).toBe("--data-raw");
      const data = argv[10]!;
      if (json === undefined) expect(data).toBe(wellFormed(text!));
      else expect(JSON.parse(data)).toEqual(JSON.parse(wellFormed(sent)));
      expect(argv).toHaveLength(11);
      nothingRan();
    });

    it(`JavaScript, ${name}`, async () => {
      const calls: [string, RequestInit][] = [];
      const fetch = async (url: string, init: RequestInit) => (calls.push([url, init]), { status: 200, text: async () => "" });
      const run = new Function("fetch", "console", `return (async () => {\n${samples.javascript}\n})();`) as (...args: unknown[]) => Promise<void>;
      await run(fetch, { log() {} });
      const body = json === undefined ? Buffer.from(text!).toString() : sent;
      expect(calls).toEqual([[`${server}/items`, { method: "PUT", headers: { "x-api-key": key.value, "content-type": contentType }, body }]]);
    });

    itNeeds(
      hasPython,
      "python3",
      "python3",
    )(`Python, ${name}`, () => {
      const stub = [
        "import json, sys, types",
        "requests = types.ModuleType('requests')",
        "class Response:\n    status_code = 200\n    text = ''",
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

const has = (command: string, args: string[]) => {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const work = mkdtempSync(path.join(tmpdir(), "portico-samples-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(command, args, { cwd: work, encoding: "utf8", maxBuffer: 64 << 20, env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: work, ...env } });

/**
 * The other languages' samples from the same hostile spec: Ruby and PHP run (their HTTP calls
 * replaced by stubs printing what would be sent); Go and Java compile (their literals are read
 * back by the compilers in quote.test.ts); C# has no compiler here: quote.test.ts reads its literals.
 */
describe("code samples from a hostile spec in Go, Java, Ruby and PHP", () => {
  const server = `https://api.example.com/${HOSTILE.slice(0, 5).join("")}`;
  const bodyValue = { name: HOSTILE[0], all: HOSTILE, ok: true };
  const hostile = (contentType: string, example: string) =>
    ({ method: "PATCH", path: "/items", apiKeyRequired: true, parameters: [], bodies: [{ contentType, example }] }) as unknown as TryItOperation;
  const key = HOSTILE[10]!; // ${x} $HOME …
  const cases = [
    { name: "a JSON body", op: hostile("application/json; x=\"$(id)'`#{1}", JSON.stringify(bodyValue)), sent: JSON.stringify(bodyValue, null, 2) },
    { name: "a text body", op: hostile("text/plain", HOSTILE.join("\n")), sent: HOSTILE.join("\n").toWellFormed() },
  ];
  const wellFormed = (s: string) => s.toWellFormed();

  for (const { name, op, sent } of cases) {
    const samples = buildSamples(op, server, { kind: "literal", value: key });
    const expected = { method: "PATCH", url: wellFormed(`${server}/items`), key, contentType: wellFormed(op.bodies[0]!.contentType), body: sent };

    itNeeds(
      has("ruby", ["-e", "1"]),
      "ruby",
      "ruby",
    )(`Ruby, ${name}`, () => {
      // Net::HTTP's request classes and start() stand in for the network; URI() keeps the text as it is.
      const stub = [
        'require "net/http"',
        'require "json"',
        "class FakeRequest",
        "  attr_reader :method, :uri; attr_accessor :body",
        "  def initialize(method, uri) @method, @uri, @headers = method, uri, {} end",
        "  def []=(k, v) @headers[k] = v end",
        "  def [](k) @headers[k] end",
        "end",
        "%w[Get Post Put Delete Patch Head Options Trace].each do |m|",
        "  Net::HTTP.send(:remove_const, m)",
        "  Net::HTTP.const_set(m, Class.new(FakeRequest) { define_method(:initialize) { |uri| super(m.upcase, uri) } })",
        "end",
        "def (Net::HTTP).start(host, port, **opts)",
        '  $stdout.write(JSON.generate(yield(Class.new { def request(r) {method: r.method, url: r.uri.to_s, key: r["x-api-key"], contentType: r["content-type"], body: r.body} end }.new)))',
        "  exit",
        "end",
        'def URI(s) Struct.new(:to_s, :hostname, :port, :scheme).new(s, "h", 443, "https") end',
      ].join("\n");
      writeFileSync(path.join(work, "sample.rb"), `${stub}\n${samples.ruby}`);
      expect(JSON.parse(run("ruby", ["sample.rb"]))).toEqual(expected);
      nothingRan();
    });

    itNeeds(
      has("php", ["-n", "-r", "1;"]),
      "php",
      "php-cli",
    )(`PHP, ${name}`, () => {
      // -n: no extensions from php.ini, so these stubs stand in for curl's.
      const stub = [
        "<?php",
        "const CURLOPT_CUSTOMREQUEST = 1; const CURLOPT_HTTPHEADER = 2; const CURLOPT_POSTFIELDS = 3; const CURLOPT_RETURNTRANSFER = 4; const CURLINFO_RESPONSE_CODE = 5;",
        "function curl_init($url) { return ['url' => $url]; }",
        "function curl_setopt_array(&$ch, $o) { $ch += $o; }",
        "function curl_exec($ch) { echo json_encode(['method' => $ch[CURLOPT_CUSTOMREQUEST], 'url' => $ch['url'], 'headers' => $ch[CURLOPT_HTTPHEADER], 'body' => $ch[CURLOPT_POSTFIELDS]]); exit; }",
        "function curl_getinfo($ch, $i) { return 200; }",
        "?>",
      ].join("\n");
      writeFileSync(path.join(work, "sample.php"), `${stub}${samples.php}`);
      const out = JSON.parse(run("php", ["-n", "sample.php"])) as { method: string; url: string; headers: string[]; body: string };
      expect(out).toEqual({ method: "PATCH", url: expected.url, headers: [`x-api-key: ${key}`, `content-type: ${expected.contentType}`], body: sent });
      nothingRan();
    });

    itNeeds(has("go", ["version"]), "go", "golang-go")(
      `Go compiles, ${name}`,
      () => {
        writeFileSync(path.join(work, "main.go"), samples.go);
        run("go", ["vet", "main.go"], { GOCACHE: path.join(work, "gocache"), GO111MODULE: "off", GOPATH: path.join(work, "gopath") });
        nothingRan();
      },
      120_000,
    );

    itNeeds(has("javac", ["-version"]), "javac", "default-jdk-headless")(
      `Java compiles, ${name}`,
      () => {
        writeFileSync(path.join(work, "Main.java"), samples.java);
        run("javac", ["-encoding", "UTF-8", "-d", path.join(work, "classes"), "Main.java"]);
        nothingRan();
      },
      60_000,
    );
  }
});

/** C0 and C1 controls but newline and tab, and the invisible or bidi characters a reader (or a terminal) would not see. */
const UNSEEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe("code samples hold only characters a reader sees", () => {
  const unseen = "a\x15\x1b[201~\x03\r\u0085\u200b\u200f\u2028\u2029\u202a\u202e\u2066\u2069\ufeff\x7f z";
  const ops = [
    // In the path, a path parameter's example, a required query parameter's name and example, the content type, and the bodies.
    {
      method: "POST",
      path: `/items${unseen}/{id}`,
      apiKeyRequired: true,
      parameters: [
        { in: "path", name: "id", required: true, example: unseen },
        { in: "query", name: `q${unseen}`, required: true, example: unseen },
      ],
      bodies: [{ contentType: `text/plain; x=${unseen}`, example: `${unseen}\n${HOSTILE.join("\n")}` }],
    },
    {
      method: "PUT",
      path: "/j",
      apiKeyRequired: true,
      parameters: [],
      bodies: [{ contentType: "application/json", example: JSON.stringify({ [unseen]: HOSTILE }) }],
    },
    { method: `X${unseen}`, path: "/m", apiKeyRequired: false, parameters: [], bodies: [{ contentType: "application/json", example: unseen }] },
  ] as unknown as TryItOperation[];

  it.each(SAMPLE_LANGUAGES.map((l) => l.id))("in %s, from a server URL, path, parameters, content type and body holding them", (id) => {
    for (const op of ops) {
      const code = buildSamples(op, `https://api.example.com/${unseen}`, { kind: "literal", value: unseen })[id];
      expect(code, code).not.toMatch(UNSEEN);
      expect(markedSamples(op, `https://api.example.com/${unseen}`).find((s) => s.id === id)!.code).not.toMatch(UNSEEN);
    }
  });
});

describe("curl samples", () => {
  it("send a path's [1-9] and {a,b} as they are: --globoff, no globbing into many requests", () => {
    const op = { method: "GET", path: "/files/[1-99999]", apiKeyRequired: false, parameters: [], bodies: [] } as unknown as TryItOperation;
    const { curl } = buildSamples(op, "https://{a,b}.example.com");
    expect(curl).toBe("curl --request 'GET' --globoff --url 'https://{a,b}.example.com/files/[1-99999]'");
    for (const shell of SHELLS) expect(argvOf(shell, curl)).toEqual(["--request", "GET", "--globoff", "--url", "https://{a,b}.example.com/files/[1-99999]"]);
  });
});
