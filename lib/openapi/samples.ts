import type { TryItOperation } from "./try-it";
import {
  csharpString,
  csharpText,
  goString,
  goText,
  javaString,
  javaText,
  literal,
  phpString,
  phpText,
  rubyString,
  rubyText,
  shellQuote,
  stringLiteral,
} from "./quote";

/** How a sample gets its key: from an environment variable (the default) or written in. */
export type SampleKey = { kind: "env" } | { kind: "literal"; value: string };

/** The samples' languages, in the order of their tabs; `grammar` names the highlighter's grammar (lib/highlight). */
export const SAMPLE_LANGUAGES = [
  { id: "curl", title: "curl", grammar: "shellscript" },
  { id: "javascript", title: "JavaScript", grammar: "javascript" },
  { id: "python", title: "Python", grammar: "python" },
  { id: "go", title: "Go", grammar: "go" },
  { id: "java", title: "Java", grammar: "java" },
  { id: "ruby", title: "Ruby", grammar: "ruby" },
  { id: "php", title: "PHP", grammar: "php" },
  { id: "csharp", title: "C#", grammar: "csharp" },
] as const;

export type SampleLanguage = (typeof SAMPLE_LANGUAGES)[number]["id"];
export type Samples = Record<SampleLanguage, string>;

function exampleUrl(op: TryItOperation, baseUrl: string): string {
  const path = op.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const param = op.parameters.find((p) => p.in === "path" && p.name === name);
    // toWellFormed: a lone surrogate in an owner's example would make encodeURIComponent throw.
    return encodeURIComponent((param?.example?.replace(/^"|"$/g, "") ?? `{${name}}`).toWellFormed());
  });
  const query = op.parameters
    .filter((p) => p.in === "query" && p.required)
    .map(
      (p) => `${encodeURIComponent(p.name.toWellFormed())}=${encodeURIComponent((p.example?.replace(/^"|"$/g, "") ?? p.enum?.[0] ?? "value").toWellFormed())}`,
    )
    .join("&");
  return `${baseUrl.replace(/\/$/, "")}${path}${query ? `?${query}` : ""}`;
}

interface Body {
  contentType: string;
  /** What is sent: a JSON body as JSON.stringify(value, null, 2), any other as the example's text. */
  text: string;
  json?: { value: unknown };
}

/** The request body: a JSON body as a value (an example string that isn't JSON is a JSON string), anything else as text. */
function requestBody(op: TryItOperation): Body | undefined {
  const body = op.bodies[0];
  if (body?.example === undefined || ["GET", "HEAD"].includes(op.method)) return undefined;
  const { contentType, example } = body;
  // Sent as UTF-8, where a lone surrogate can't go (Python's encode() would raise): U+FFFD, as fetch sends it.
  if (!contentType.includes("json")) return { contentType, text: example.toWellFormed() };
  let value: unknown;
  try {
    value = JSON.parse(example);
  } catch {
    value = example;
  }
  // JSON.stringify spells a lone surrogate as \udXXX: the text itself stays well-formed.
  return { contentType, text: JSON.stringify(value, null, 2), json: { value } };
}

/** One request as the generators see it: every field still unquoted, straight from the spec. */
interface Request {
  method: string;
  url: string;
  /** Sends x-api-key (the key), or else maybe a bearer token (always from the environment). */
  apiKey: boolean;
  bearer: boolean;
  body?: Body;
}

/**
 * How each language spells the key: `env` reads $API_KEY, `quote` writes a chosen key in. The
 * generators get the key as an expression (`key`), already spelled.
 */
interface Generator {
  env: string;
  quote: (value: string) => string;
  build: (r: Request, key: string) => string;
}

const lines = (...parts: (string | false | undefined)[]) => parts.filter((p): p is string => typeof p === "string").join("\n");

const GENERATORS: Record<SampleLanguage, Generator> = {
  curl: {
    // Inside the double-quoted header below; a chosen key is written as its own single-quoted word.
    env: "$API_KEY",
    quote: (value) => value,
    build: (r, key) =>
      [
        // --url: a server URL starting with "-" stays a URL, not an option. --globoff: a path's [1-9] or
        // {a,b} is sent as it is, not expanded into many requests.
        `curl --request ${shellQuote(r.method)} --globoff --url ${shellQuote(r.url)}`,
        ...(r.apiKey ? [`  -H ${key}`] : []),
        ...(r.bearer ? ['  -H "Authorization: Bearer $API_TOKEN"'] : []),
        // --data-raw: a body starting with @ is not a file to read and send.
        ...(r.body ? [`  -H ${shellQuote(`content-type: ${r.body.contentType}`)}`, `  --data-raw ${shellQuote(r.body.text)}`] : []),
      ].join(" \\\n"),
  },

  javascript: {
    env: "process.env.API_KEY",
    quote: stringLiteral,
    build: (r, key) => {
      const headers = [
        ...(r.apiKey ? [`"x-api-key": ${key}`] : []),
        ...(r.bearer ? ['"Authorization": `Bearer ${process.env.API_TOKEN}`'] : []),
        ...(r.body ? [`"content-type": ${stringLiteral(r.body.contentType)}`] : []),
      ];
      return lines(
        `const response = await fetch(${stringLiteral(r.url)}, {`,
        `  method: ${stringLiteral(r.method)},`,
        headers.length > 0 && `  headers: { ${headers.join(", ")} },`,
        r.body && `  body: ${r.body.json ? `JSON.stringify(${literal(r.body.json.value, "javascript", "  ")})` : stringLiteral(r.body.text)},`,
        `});`,
        `console.log(response.status, await response.text());`,
      );
    },
  },

  python: {
    env: 'os.environ["API_KEY"]',
    quote: stringLiteral,
    build: (r, key) => {
      const headers = [
        ...(r.apiKey ? [`"x-api-key": ${key}`] : []),
        ...(r.bearer ? ['"Authorization": "Bearer " + os.environ["API_TOKEN"]'] : []),
        ...(r.body ? [`"content-type": ${stringLiteral(r.body.contentType)}`] : []),
      ];
      return lines(
        // Kept on the docs pages when the reader's key is written over os.environ: an unused import is harmless.
        (r.bearer || key.includes("os.environ")) && "import os",
        "import requests",
        "",
        `response = requests.request(`,
        `    ${stringLiteral(r.method)},`,
        `    ${stringLiteral(r.url)},`,
        headers.length > 0 && `    headers={${headers.join(", ")}},`,
        r.body && (r.body.json ? `    json=${literal(r.body.json.value, "python", "    ")},` : `    data=${stringLiteral(r.body.text)}.encode(),`),
        `)`,
        `print(response.status_code, response.text)`,
      );
    },
  },

  go: {
    env: 'os.Getenv("API_KEY")',
    quote: goString,
    build: (r, key) =>
      lines(
        "package main",
        "",
        "import (",
        '\t"fmt"',
        '\t"io"',
        '\t"net/http"',
        // os is used below whatever the key: a key written over os.Getenv must not leave an unused import.
        '\t"os"',
        r.body && '\t"strings"',
        ")",
        "",
        "func main() {",
        r.body && `\tbody := strings.NewReader(${goText(r.body.text)})`,
        `\treq, err := http.NewRequest(${goString(r.method)}, ${goString(r.url)}, ${r.body ? "body" : "nil"})`,
        "\tif err != nil {",
        "\t\tfmt.Fprintln(os.Stderr, err)",
        "\t\tos.Exit(1)",
        "\t}",
        r.apiKey && `\treq.Header.Set("x-api-key", ${key})`,
        r.bearer && '\treq.Header.Set("Authorization", "Bearer "+os.Getenv("API_TOKEN"))',
        r.body && `\treq.Header.Set("content-type", ${goString(r.body.contentType)})`,
        "\tres, err := http.DefaultClient.Do(req)",
        "\tif err != nil {",
        "\t\tfmt.Fprintln(os.Stderr, err)",
        "\t\tos.Exit(1)",
        "\t}",
        "\tdefer res.Body.Close()",
        "\tdata, _ := io.ReadAll(res.Body)",
        "\tfmt.Println(res.StatusCode, string(data))",
        "}",
      ),
  },

  java: {
    env: 'System.getenv("API_KEY")',
    quote: javaString,
    build: (r, key) =>
      lines(
        "import java.net.URI;",
        "import java.net.http.HttpClient;",
        "import java.net.http.HttpRequest;",
        "import java.net.http.HttpResponse;",
        "",
        "public class Main {",
        "    public static void main(String[] args) throws Exception {",
        `        HttpRequest request = HttpRequest.newBuilder(URI.create(${javaString(r.url)}))`,
        `            .method(${javaString(r.method)}, ${
          r.body ? `HttpRequest.BodyPublishers.ofString(${javaText(r.body.text, "                ")})` : "HttpRequest.BodyPublishers.noBody()"
        })`,
        r.apiKey && `            .header("x-api-key", ${key})`,
        r.bearer && '            .header("Authorization", "Bearer " + System.getenv("API_TOKEN"))',
        r.body && `            .header("content-type", ${javaString(r.body.contentType)})`,
        "            .build();",
        "        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());",
        '        System.out.println(response.statusCode() + " " + response.body());',
        "    }",
        "}",
      ),
  },

  ruby: {
    env: 'ENV.fetch("API_KEY")',
    quote: rubyString,
    build: (r, key) => {
      // Net::HTTP's class for the method (Net::HTTP::Post); any other method through the generic request.
      const known = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"].includes(r.method);
      const request = known
        ? `Net::HTTP::${r.method[0]}${r.method.slice(1).toLowerCase()}.new(uri)`
        : `Net::HTTPGenericRequest.new(${rubyString(r.method)}, ${r.body ? "true" : "false"}, true, uri)`;
      return lines(
        'require "net/http"',
        "",
        `uri = URI(${rubyString(r.url)})`,
        `request = ${request}`,
        r.apiKey && `request["x-api-key"] = ${key}`,
        r.bearer && 'request["Authorization"] = "Bearer " + ENV.fetch("API_TOKEN")',
        r.body && `request["content-type"] = ${rubyString(r.body.contentType)}`,
        r.body && `request.body = ${rubyText(r.body.text)}`,
        'response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == "https") { |http| http.request(request) }',
        "puts response.code, response.body",
      );
    },
  },

  php: {
    env: 'getenv("API_KEY")',
    quote: phpString,
    build: (r, key) => {
      const headers = [
        ...(r.apiKey ? [`"x-api-key: " . ${key}`] : []),
        ...(r.bearer ? ['"Authorization: Bearer " . getenv("API_TOKEN")'] : []),
        ...(r.body ? [phpString(`content-type: ${r.body.contentType}`)] : []),
      ];
      return lines(
        "<?php",
        "",
        `$ch = curl_init(${phpString(r.url)});`,
        "curl_setopt_array($ch, [",
        `    CURLOPT_CUSTOMREQUEST => ${phpString(r.method)},`,
        headers.length > 0 && `    CURLOPT_HTTPHEADER => [${headers.join(", ")}],`,
        r.body && `    CURLOPT_POSTFIELDS => ${phpText(r.body.text)},`,
        "    CURLOPT_RETURNTRANSFER => true,",
        "]);",
        "$response = curl_exec($ch);",
        'echo curl_getinfo($ch, CURLINFO_RESPONSE_CODE), " ", $response, "\\n";',
      );
    },
  },

  csharp: {
    env: 'Environment.GetEnvironmentVariable("API_KEY")',
    quote: csharpString,
    build: (r, key) =>
      lines(
        "using var client = new HttpClient();",
        `using var request = new HttpRequestMessage(new HttpMethod(${csharpString(r.method)}), ${csharpString(r.url)});`,
        r.apiKey && `request.Headers.Add("x-api-key", ${key});`,
        r.bearer && 'request.Headers.Add("Authorization", "Bearer " + Environment.GetEnvironmentVariable("API_TOKEN"));',
        r.body && `request.Content = new StringContent(${csharpText(r.body.text, "    ")});`,
        // Set without validation: StringContent's own parser refuses many a content type a spec may name.
        r.body && 'request.Content.Headers.Remove("Content-Type");',
        r.body && `request.Content.Headers.TryAddWithoutValidation("Content-Type", ${csharpString(r.body.contentType)});`,
        "using var response = await client.SendAsync(request);",
        'Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");',
      ),
  },
};

/** The longest value from the spec (server URL, path, parameter name or example, content type) a sample spells out. */
const MAX_VALUE = 2_000;
/** The longest sample (and body) shown: a page highlights eight of them, and a long one is of no use to copy. */
export const MAX_SAMPLE = 16_384;

/** Whether a value from the spec, or the whole request, is too long for a sample. */
function tooLong(op: TryItOperation, baseUrl: string, request: Request): boolean {
  const used = op.parameters.filter((p) => p.in === "path" || (p.in === "query" && p.required));
  const values = [baseUrl, op.path, op.method, request.body?.contentType ?? "", ...used.flatMap((p) => [p.name, p.example ?? ""])];
  return values.some((v) => v.length > MAX_VALUE) || request.url.length > MAX_SAMPLE || (request.body?.text.length ?? 0) > MAX_SAMPLE;
}

/** What a sample too long to show says instead, as a comment in its language. */
function tooLongNote(id: SampleLanguage): string {
  const note = `This request is too long to show as a sample: a value in the API's spec is over ${MAX_VALUE.toLocaleString("en")} characters, or the sample over ${MAX_SAMPLE / 1024} KB.`;
  if (id === "php") return `<?php\n\n// ${note}`;
  return `${["curl", "python", "ruby"].includes(id) ? "#" : "//"} ${note}`;
}

/** Every sample, or the note in its place when the request or the sample is too long. */
function build(op: TryItOperation, baseUrl: string, spell: (id: SampleLanguage, g: Generator) => string): [SampleLanguage, string][] {
  const request = toRequest(op, baseUrl);
  const long = tooLong(op, baseUrl, request);
  return SAMPLE_LANGUAGES.map(({ id }) => {
    if (long) return [id, tooLongNote(id)];
    const code = GENERATORS[id].build(request, spell(id, GENERATORS[id]));
    return [id, code.length > MAX_SAMPLE ? tooLongNote(id) : code];
  });
}

function toRequest(op: TryItOperation, baseUrl: string): Request {
  // A bearer-token API (the portal's Developer API): the token always comes from the environment (a chosen API key is no token).
  return {
    method: op.method,
    url: exampleUrl(op, baseUrl),
    apiKey: op.apiKeyRequired,
    bearer: !op.apiKeyRequired && op.bearerRequired === true,
    body: requestBody(op),
  };
}

/**
 * Copy-paste examples for one operation; the key comes from the environment unless one is given.
 * Every value from the spec goes through quote.ts: pasting a sample must not run anything else.
 */
export function buildSamples(op: TryItOperation, baseUrl: string, key: SampleKey = { kind: "env" }): Samples {
  const entries = build(op, baseUrl, (id, g) =>
    id === "curl"
      ? key.kind === "literal"
        ? shellQuote(`x-api-key: ${key.value}`)
        : '"x-api-key: $API_KEY"'
      : key.kind === "literal"
        ? g.quote(key.value)
        : g.env,
  );
  return Object.fromEntries(entries) as Samples;
}

/** A sample whose key, when it has one, is at `key`: the offsets of the environment expression in `code`. */
export interface MarkedSample {
  id: SampleLanguage;
  title: string;
  grammar: (typeof SAMPLE_LANGUAGES)[number]["grammar"];
  code: string;
  /**
   * Where the reader's chosen key can be written in place of the environment expression: "bare"
   * (curl: inside a double-quoted header) or "quoted" (a string literal, "…", in every other
   * language). Only a key of letters and digits may be written there (components/docs/islands/key-picker.tsx).
   */
  key?: { start: number; end: number; spelling: "bare" | "quoted" };
}

/**
 * The samples as the docs pages show them: reading the key from the environment, each with the
 * place of that expression, for the key picker to write the reader's own key over.
 */
export function markedSamples(op: TryItOperation, baseUrl: string): MarkedSample[] {
  // NUL marks the key: no literal from quote.ts holds one (each escapes or drops it), so the only NULs are these.
  const built = build(op, baseUrl, (id, g) => (id === "curl" ? `"x-api-key: \0${g.env}\0"` : `\0${g.env}\0`));
  return SAMPLE_LANGUAGES.map(({ id, title, grammar }, i) => {
    const raw = built[i]![1];
    const [before, expression, after, ...rest] = raw.split("\0");
    if (expression === undefined) return { id, title, grammar, code: raw };
    if (after === undefined || rest.length > 0) throw new Error(`${id} sample: a NUL outside the key's marks`);
    return {
      id,
      title,
      grammar,
      code: before + expression + after,
      key: { start: before!.length, end: before!.length + expression.length, spelling: id === "curl" ? "bare" : "quoted" },
    };
  });
}
