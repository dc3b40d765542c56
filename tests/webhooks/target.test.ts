import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { allowPrivateTargets } from "@/lib/webhooks/settings";
import { addressProblem, checkEndpointUrl, checkWebhookUrl, resolveWebhookTarget, webhookUrlSchema, type Resolver } from "@/lib/webhooks/target";

const strict = { allowPrivate: false };
const problemOf = (url: string, options = strict) => {
  const checked = checkWebhookUrl(url, options);
  return checked.ok ? undefined : checked.problem;
};
const answers =
  (...addresses: string[]): Resolver =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("checkWebhookUrl", () => {
  it("accepts a public https URL, with a port, path and query", () => {
    expect(problemOf("https://hooks.example.com/portico?tenant=1")).toBeUndefined();
    expect(problemOf("https://hooks.example.com:8443/x")).toBeUndefined();
    expect(problemOf("https://93.184.215.14/x")).toBeUndefined();
    expect(problemOf("https://[2606:4700::1111]/x")).toBeUndefined();
  });

  it("refuses http:, other schemes, credentials, fragments, control characters and over-long URLs", () => {
    expect(problemOf("http://hooks.example.com/")).toMatch(/https:\/\//);
    expect(problemOf("ftp://hooks.example.com/")).toMatch(/https:\/\//);
    expect(problemOf("file:///etc/passwd")).toMatch(/https:\/\//);
    expect(problemOf("hooks.example.com/x")).toMatch(/full URL/);
    expect(problemOf("https://user:pa55@hooks.example.com/")).toMatch(/user name or password/);
    expect(problemOf("https://user@hooks.example.com/")).toMatch(/user name or password/);
    expect(problemOf("https://user:pa55@hooks.example.com/")).not.toContain("pa55");
    expect(problemOf("https://hooks.example.com/x#frag")).toMatch(/fragment/);
    expect(problemOf("https://hooks.example.com/x#")).toMatch(/fragment/);
    expect(problemOf("https://hooks.exa\nmple.com/")).toMatch(/control characters/);
    expect(problemOf("https://hooks.example.com/a b")).toMatch(/control characters/);
    const long = `https://hooks.example.com/${"a".repeat(2048 - 26)}`;
    expect(long).toHaveLength(2048);
    expect(problemOf(long)).toBeUndefined();
    expect(problemOf(`${long}a`)).toMatch(/at most 2,048 characters/);
  });

  it.each([
    ["https://127.0.0.1/", "127.0.0.1 is a loopback address"],
    ["https://2130706433/", "127.0.0.1 is a loopback address"], // decimal
    ["https://0177.0.0.1/", "127.0.0.1 is a loopback address"], // octal
    ["https://0x7f.0.0.1/", "127.0.0.1 is a loopback address"], // hex
    ["https://0x7f000001/", "127.0.0.1 is a loopback address"],
    ["https://127.1/", "127.0.0.1 is a loopback address"], // short form
    ["https://127.0.0.1./", "127.0.0.1 is a loopback address"],
    ["https://[::1]/", "::1 is a loopback address"],
    ["https://[::ffff:127.0.0.1]/", "::ffff:7f00:1 is a loopback address"], // IPv4-mapped
    ["https://[::ffff:a00:5]/", "::ffff:a00:5 is a private address"],
    ["https://[::127.0.0.1]/", "::7f00:1 is a reserved address"], // IPv4-compatible (deprecated)
    ["https://[64:ff9b::127.0.0.1]/", "64:ff9b::7f00:1 is a loopback address"], // NAT64
    ["https://[2002:7f00:1::]/", "2002:7f00:1:: is a loopback address"], // 6to4
    ["https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "is not a public address"], // Teredo
    ["https://0.0.0.0/", "0.0.0.0 is an unspecified address"],
    ["https://0/", "0.0.0.0 is an unspecified address"],
    ["https://[::]/", ":: is an unspecified address"],
    ["https://10.0.0.5/", "10.0.0.5 is a private address"],
    ["https://172.16.3.4/", "172.16.3.4 is a private address"],
    ["https://192.168.1.1/", "192.168.1.1 is a private address"],
    ["https://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"],
    ["https://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata address"],
    ["https://[::ffff:169.254.169.254]/", "is the cloud metadata address"],
    ["https://[fd00:ec2::254]/", "fd00:ec2::254 is the cloud metadata address"],
    ["https://169.254.1.1/", "169.254.1.1 is a link-local address"],
    ["https://[fe80::1]/", "fe80::1 is a link-local address"],
    ["https://[fc00::1]/", "fc00::1 is a private address"],
    ["https://224.0.0.1/", "224.0.0.1 is a multicast address"],
    ["https://[ff02::1]/", "ff02::1 is a multicast address"],
    ["https://255.255.255.255/", "255.255.255.255 is a broadcast address"],
    ["https://192.0.2.1/", "192.0.2.1 is a reserved address"],
    ["https://240.0.0.1/", "240.0.0.1 is a reserved address"],
    ["https://localhost/", "localhost is a loopback name"],
    ["https://api.localhost./", "is a loopback name"],
  ])("refuses %s as it reaches it", (url, problem) => {
    expect(problemOf(url)).toMatch(/^refused: /);
    expect(problemOf(url)).toContain(problem);
    // Allowed by the setting (the sandbox and tests).
    expect(problemOf(url, { allowPrivate: true })).toBeUndefined();
  });

  it("lets http: and loopback through when private targets are allowed, never credentials or fragments", () => {
    const loose = { allowPrivate: true };
    expect(problemOf("http://127.0.0.1:3000/hook", loose)).toBeUndefined();
    expect(problemOf("ftp://127.0.0.1/", loose)).toMatch(/https:\/\//);
    expect(problemOf("http://u:p@127.0.0.1/", loose)).toMatch(/user name or password/);
    expect(problemOf("http://127.0.0.1/#x", loose)).toMatch(/fragment/);
  });

  it("is usable as a zod schema, giving the normalized URL", () => {
    expect(webhookUrlSchema(strict).parse("  https://Hooks.Example.com/x ")).toBe("https://hooks.example.com/x");
    const refused = webhookUrlSchema(strict).safeParse("https://2130706433/");
    expect(refused.error?.issues[0]?.message).toBe("refused: 127.0.0.1 is a loopback address");
    expect(webhookUrlSchema({ allowPrivate: true }).parse("http://127.1:8080/")).toBe("http://127.0.0.1:8080/");
  });
});

describe("PORTICO_WEBHOOKS_ALLOW_PRIVATE", () => {
  it("is off unless set to 1 or true, and a wrong value is a configuration error", () => {
    expect(allowPrivateTargets({})).toBe(false);
    expect(allowPrivateTargets({ PORTICO_WEBHOOKS_ALLOW_PRIVATE: "" })).toBe(false);
    expect(allowPrivateTargets({ PORTICO_WEBHOOKS_ALLOW_PRIVATE: "0" })).toBe(false);
    expect(allowPrivateTargets({ PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1" })).toBe(true);
    expect(allowPrivateTargets({ PORTICO_WEBHOOKS_ALLOW_PRIVATE: "true" })).toBe(true);
    expect(() => allowPrivateTargets({ PORTICO_WEBHOOKS_ALLOW_PRIVATE: "yes" })).toThrow(/PORTICO_WEBHOOKS_ALLOW_PRIVATE is invalid/);
  });

  it("is what the checks follow when no option says otherwise", () => {
    vi.stubEnv("PORTICO_WEBHOOKS_ALLOW_PRIVATE", "0");
    expect(checkWebhookUrl("http://127.0.0.1/").ok).toBe(false);
    vi.stubEnv("PORTICO_WEBHOOKS_ALLOW_PRIVATE", "1");
    expect(checkWebhookUrl("http://127.0.0.1/").ok).toBe(true);
  });
});

describe("addressProblem", () => {
  it("passes public unicast addresses in both families", () => {
    for (const address of ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])
      expect(addressProblem(address), address).toBeUndefined();
  });
  it("refuses what isn't an IP address", () => {
    expect(addressProblem("127.1")).toBe("not an IP address");
    expect(addressProblem("example.com")).toBe("not an IP address");
  });
});

describe("resolveWebhookTarget", () => {
  it("refuses a host name if ANY of its addresses is not public, naming it", async () => {
    const refused = (resolve: Resolver) => resolveWebhookTarget("https://hooks.example.com/x", { ...strict, resolve });
    await expect(refused(answers("10.0.0.5"))).rejects.toThrow("refused: hooks.example.com resolves to 10.0.0.5, a private address");
    await expect(refused(answers("93.184.215.14", "127.0.0.1"))).rejects.toThrow("resolves to 127.0.0.1, a loopback address");
    await expect(refused(answers("2606:4700::1111", "::ffff:127.0.0.1"))).rejects.toThrow("resolves to ::ffff:127.0.0.1, a loopback address");
    await expect(refused(answers("169.254.169.254"))).rejects.toThrow("the cloud metadata address");
    await expect(refused(answers("fd00:ec2::254"))).rejects.toThrow("the cloud metadata address");
    await expect(refused(answers("0.0.0.0"))).rejects.toThrow("an unspecified address");
    await expect(refused(answers("0x7f.1"))).rejects.toThrow("not an IP address");
    await expect(refused(answers())).rejects.toThrow("has no address");
    await expect(refused(answers("10.0.0.5"))).rejects.toBeInstanceOf(AppError);
  });

  it("pins the first checked address: its lookup answers it whatever is asked", async () => {
    const target = await resolveWebhookTarget("https://hooks.example.com:8443/x?y=1", { ...strict, resolve: answers("93.184.215.14", "2606:4700::1111") });
    expect(target).toMatchObject({ host: "hooks.example.com", address: "93.184.215.14", family: 4 });
    const one = await new Promise((resolve) => target.lookup("elsewhere.example", {}, (_, address, family) => resolve([address, family])));
    expect(one).toEqual(["93.184.215.14", 4]);
    const all = await new Promise((resolve) => target.lookup("elsewhere.example", { all: true }, (_, address) => resolve(address)));
    expect(all).toEqual([{ address: "93.184.215.14", family: 4 }]);
  });

  it("doesn't ask DNS for a literal address, and says when DNS fails", async () => {
    const resolve = vi.fn(answers("10.0.0.5"));
    await expect(resolveWebhookTarget("https://[2606:4700::1111]/", { ...strict, resolve })).resolves.toMatchObject({ host: "2606:4700::1111", family: 6 });
    expect(resolve).not.toHaveBeenCalled();
    const failing =
      (code: string): Resolver =>
      () =>
        Promise.reject(Object.assign(new Error("dns"), { code }));
    await expect(resolveWebhookTarget("https://nowhere.example/", { ...strict, resolve: failing("ENOTFOUND") })).rejects.toMatchObject({
      code: "bad_request",
      message: "nowhere.example was not found (DNS).",
    });
    await expect(resolveWebhookTarget("https://nowhere.example/", { ...strict, resolve: failing("EAI_AGAIN") })).rejects.toMatchObject({ code: "unavailable" });
  });
});

describe("checkEndpointUrl", () => {
  it("gives the normalized URL of an accepted endpoint and refuses what a delivery would refuse", async () => {
    await expect(checkEndpointUrl(" https://Hooks.Example.com/x ", { ...strict, resolve: answers("93.184.215.14") })).resolves.toBe(
      "https://hooks.example.com/x",
    );
    await expect(checkEndpointUrl("https://hooks.example.com/x", { ...strict, resolve: answers("10.0.0.5") })).rejects.toMatchObject({
      code: "bad_request",
      message: "refused: hooks.example.com resolves to 10.0.0.5, a private address",
    });
    await expect(checkEndpointUrl("http://hooks.example.com/x", { ...strict, resolve: answers("93.184.215.14") })).rejects.toThrow("https://");
    await expect(checkEndpointUrl("http://127.1:9/x", { allowPrivate: true })).resolves.toBe("http://127.0.0.1:9/x");
  });
});
