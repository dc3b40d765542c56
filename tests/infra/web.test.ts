import path from "node:path";
import vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { settingsFor } from "@/infra/lib/settings";
import { clientIp, VIEWER_IP_HEADER } from "@/lib/limits/client-ip";
import { root } from "./sdk-calls";

interface CloudFrontHeaders {
  [name: string]: { value: string; multiValue?: { value: string }[] };
}
interface ViewerRequestEvent {
  viewer: { ip: string };
  request: { method: string; uri: string; headers: CloudFrontHeaders };
}

// By path: infra/*.ts is compiled against SST's platform types (tsconfig.infra.json), not the app's.
type Web = { VIEWER_IP_INJECTION: string; VIEWER_REQUEST_INJECTION: string; createRouter: (settings: unknown) => unknown };
const web = () => import(path.join(root, "infra/web.ts")) as Promise<Web>;

/**
 * Runs `injection` the way SST's Router runs it: first thing in the CloudFront Function's
 * `async function handler(event)` (cloudfront-js-2.0), which then returns the request.
 */
async function viewerRequest(injection: string, event: ViewerRequestEvent): Promise<ViewerRequestEvent["request"]> {
  const code = `async function handler(event) {\n  ${injection}\n  return event.request;\n}\nhandler;`;
  const handler = new vm.Script(code).runInNewContext({}) as (event: ViewerRequestEvent) => Promise<ViewerRequestEvent["request"]>;
  return handler(event);
}

const event = (headers: CloudFrontHeaders, ip = "203.0.113.7"): ViewerRequestEvent => ({
  viewer: { ip },
  request: { method: "POST", uri: "/api/keys", headers },
});

describe("the viewer-request code on the CloudFront front door", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("is valid JavaScript that sets the header the portal reads to the viewer's address", async () => {
    const { VIEWER_IP_INJECTION } = await web();
    expect(VIEWER_IP_HEADER).toBe("x-portico-viewer-ip");
    // CloudFront Functions see header names in lowercase only.
    expect(VIEWER_IP_HEADER).toBe(VIEWER_IP_HEADER.toLowerCase());
    const request = await viewerRequest(VIEWER_IP_INJECTION, event({ host: { value: "developer.example.com" } }));
    expect(request.headers).toEqual({ host: { value: "developer.example.com" }, [VIEWER_IP_HEADER]: { value: "203.0.113.7" } });
  });

  it("replaces whatever the client sent under that name, and changes nothing else", async () => {
    const { VIEWER_IP_INJECTION } = await web();
    const sent: CloudFrontHeaders = {
      host: { value: "developer.example.com" },
      "x-forwarded-for": { value: "198.51.100.1" },
      [VIEWER_IP_HEADER]: { value: "198.51.100.1", multiValue: [{ value: "198.51.100.1" }, { value: "198.51.100.2" }] },
    };
    const request = await viewerRequest(VIEWER_IP_INJECTION, event(structuredClone(sent), "2001:db8::1"));
    expect(request.headers).toEqual({ ...sent, [VIEWER_IP_HEADER]: { value: "2001:db8::1" } });
    expect(request.method).toBe("POST");
    expect(request.uri).toBe("/api/keys");
    // What the portal then takes as the client's address.
    const headers = new Headers(Object.entries(request.headers).map(([name, h]): [string, string] => [name, h.value]));
    expect(clientIp(headers)).toBe("2001:db8:0:0::/64"); // an IPv6 client counts as its /64
  });

  it("is what createRouter gives SST's Router as its viewer-request injection", async () => {
    const routers: Array<{ name: string; args: { edge?: { viewerRequest?: { injection?: string } } } }> = [];
    vi.stubGlobal("$app", { name: "portico", stage: "prod" });
    vi.stubGlobal("sst", {
      aws: {
        Router: class {
          constructor(name: string, args: (typeof routers)[number]["args"]) {
            routers.push({ name, args });
          }
        },
      },
    });
    const { createRouter, VIEWER_REQUEST_INJECTION } = await web();
    createRouter(settingsFor("prod", {}));
    createRouter(settingsFor("prod", { prod: { protectOrigin: false, waf: { enabled: false }, domain: "developer.example.com" } }));
    expect(routers).toHaveLength(2);
    for (const { args } of routers) expect(args.edge).toEqual({ viewerRequest: { injection: VIEWER_REQUEST_INJECTION } });
  });
});
