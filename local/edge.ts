import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { faultSchema, type Faults } from "./faults";
import { readBody, sendJson } from "./http";
import type { EdgeRequest, SandboxService } from "./service";

const CREDENTIAL_SCOPE = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

function toEdgeRequest(raw: IncomingMessage): EdgeRequest {
  const url = new URL(raw.url ?? "/", `http://${raw.headers.host ?? "localhost"}`);
  const target = raw.headers["x-amz-target"];
  const signingName = CREDENTIAL_SCOPE.exec(raw.headers.authorization ?? "")?.[1];
  return { raw, url, target: typeof target === "string" ? target : undefined, signingName };
}

/**
 * One LocalStack-style port for every emulated service: a request goes to the first service
 * that claims it (by X-Amz-Target, SigV4 signing name, host or path), after injected faults.
 */
export class Edge {
  private server?: Server;
  private services: SandboxService[] = [];

  constructor(private readonly faults: Faults) {}

  /**
   * Takes the port before the services exist (they need its URL), so a port picked by the OS is
   * never lost to another process in between; requests before `mount` get a 503.
   */
  async listen(port: number, host = "127.0.0.1"): Promise<string> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        console.error("[sandbox] unhandled error", error);
        if (!res.headersSent) sendJson(res, 500, { message: "Internal sandbox error" });
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    return `http://localhost:${address.port}`;
  }

  mount(services: SandboxService[]): void {
    this.services = services;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const service of this.services) await service.close?.();
  }

  private async route(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const req = toEdgeRequest(raw);
    if (this.services.length === 0) {
      sendJson(res, 503, { message: "The sandbox is starting" });
      return;
    }
    if (req.url.pathname.startsWith("/_sandbox/") && (await this.admin(req, res))) return;

    const service = this.services.find((s) => s.claims(req));
    if (!service) {
      sendJson(res, 404, { message: `No sandbox service handles ${raw.method} ${req.url.pathname}` });
      return;
    }
    const latencyMs = this.faults.get(service.name)?.latencyMs ?? 0;
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const fault = this.faults.draw(service.name);
    if (fault) return drainThen(raw, () => service.writeFault(res, fault));
    await service.handle(req, res);
  }

  /** `/_sandbox/health` and `/_sandbox/faults`; services may claim other `/_sandbox/<name>/…` paths. */
  private async admin(req: EdgeRequest, res: ServerResponse): Promise<boolean> {
    const { pathname } = req.url;
    const method = req.raw.method;
    if (pathname === "/_sandbox/health") {
      sendJson(res, 200, { ok: true, services: this.services.map((s) => s.name) });
      return true;
    }
    if (pathname === "/_sandbox/faults") {
      if (method === "GET") {
        sendJson(res, 200, this.faults.snapshot());
      } else if (method === "DELETE") {
        this.faults.clear();
        sendJson(res, 200, {});
      } else if (method === "PUT" || method === "POST") {
        const parsed = z.record(z.string(), faultSchema.partial()).safeParse(
          await readBody(req.raw)
            .then((b) => JSON.parse(b.toString() || "{}"))
            .catch(() => undefined),
        );
        if (!parsed.success) {
          sendJson(res, 400, { message: 'Expected {"<service>": {throttleRate?, errorRate?, latencyMs?}}' });
        } else {
          for (const [service, fault] of Object.entries(parsed.data)) this.faults.set(service, fault);
          sendJson(res, 200, this.faults.snapshot());
        }
      } else {
        sendJson(res, 405, { message: "Use GET, PUT or DELETE" });
      }
      return true;
    }
    return false;
  }
}

function drainThen(req: IncomingMessage, write: () => void): Promise<void> {
  return new Promise((resolve) => {
    req.resume();
    req.once("end", () => {
      write();
      resolve();
    });
  });
}
