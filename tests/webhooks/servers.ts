// Loopback servers for the webhook tests: a receiver that records what it is sent, and a bare TCP
// listener that counts connections (to prove a refused target was never reached).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import forge from "node-forge";

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  port: number;
  url: (path?: string) => string;
  received: Received[];
  /** The TLS server names (SNI) clients asked for, for an https receiver. */
  serverNames: string[];
  close: () => Promise<void>;
}

type Answer = (request: Received, response: http.ServerResponse) => void;

export async function startReceiver(
  answer: Answer = (_, res) => res.end("ok"),
  host = "127.0.0.1",
  port = 0,
  tls?: { key: string; cert: string },
): Promise<Receiver> {
  const received: Received[] = [];
  const serverNames: string[] = [];
  const handle: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(request);
      answer(request, res);
    });
  };
  const server = tls ? https.createServer(tls, handle) : http.createServer(handle);
  if (tls) server.on("secureConnection", (socket: { servername?: string | false }) => serverNames.push(String(socket.servername)));
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: (path = "/hook") => `${tls ? "https" : "http"}://${host}:${bound}${path}`,
    received,
    serverNames,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Listener {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

/** Accepts TCP connections, counts them and hangs up: anything that reaches it is a failure. */
export async function startListener(host = "127.0.0.1"): Promise<Listener> {
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A self-signed certificate for `hostname` (its only name), with its key, in PEM. */
export function selfSignedCertificate(hostname: string): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ shortName: "CN", value: hostname }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: "subjectAltName", altNames: [{ type: 2, value: hostname }] }]);
  const key = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  cert.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(cert) };
}
