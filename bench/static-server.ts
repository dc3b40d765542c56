// A minimal static file server for benchmarks, run in its own process (so load and server don't
// share a thread): node --import tsx bench/static-server.ts, configured by environment.
//   STATIC_PORT    port on 127.0.0.1
//   STATIC_ROUTES  JSON { "/url/path": "/absolute/file" }
// Files are read once and kept in memory, gzipped once (level 6, like Next's compression) and
// sent gzipped when the request accepts it — a well-configured static host or CDN, the best case.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".svg"]);

const port = Number(process.env.STATIC_PORT);
const routes = JSON.parse(process.env.STATIC_ROUTES ?? "{}") as Record<string, string>;
const files = new Map(
  Object.entries(routes).map(([url, file]) => {
    const body = readFileSync(file);
    const ext = path.extname(file);
    return [url, { body, gzip: COMPRESSIBLE.has(ext) ? gzipSync(body, { level: 6 }) : undefined, type: TYPES[ext] ?? "application/octet-stream" }];
  }),
);

const server = createServer((req, res) => {
  const file = files.get(new URL(req.url ?? "/", "http://x").pathname);
  if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  const gzip = file.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = gzip ? file.gzip! : file.body;
  res.writeHead(200, {
    "content-type": file.type,
    "content-length": body.length,
    "cache-control": "no-cache",
    ...(gzip ? { "content-encoding": "gzip" } : {}),
    ...(file.gzip ? { vary: "accept-encoding" } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
});
server.keepAliveTimeout = 10_000;
server.listen(port, "127.0.0.1", () => console.log(`static server ready on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
