import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccessSandbox } from "../access/setup";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

/**
 * The README's AWS CLI commands, run as written, against a seeded sandbox on a port that isn't the
 * default (the README's 4566 is replaced by it): a newcomer's shell has no AWS settings at all.
 */
describe("the README's sandbox commands work as written", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let port: string;
  // A newcomer's environment: none of the AWS settings this test process has.
  const bare = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_"))) as NodeJS.ProcessEnv;

  beforeAll(async () => {
    env = await startAccessSandbox();
    port = new URL(env.sandbox.url).port;
    expect(port).not.toBe("4566");
  }, 60_000);
  afterAll(() => env.stop());

  it("the `aws … apigateway get-usage-plans` line lists the seeded plans", async () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const line = /`(AWS_ACCESS_KEY_ID=\S+ [^`]*aws --endpoint-url http:\/\/localhost:4566 apigateway get-usage-plans)`/.exec(readme)?.[1];
    expect(line, "the README's AWS CLI example").toBeDefined();
    const command = `${line!.replace("localhost:4566", `localhost:${port}`)} --output json`;
    const { stdout } = await run("bash", ["-c", command], { env: { ...bare(), AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" } });
    expect((JSON.parse(stdout) as { items: { name: string }[] }).items.map((p) => p.name)).toEqual(expect.arrayContaining(["Free", "Pro"]));
  });

  it("local/aws-cli-demo.sh follows SANDBOX_PORT", async () => {
    const { stdout } = await run("bash", [path.join(root, "local/aws-cli-demo.sh")], {
      env: { ...bare(), SANDBOX_PORT: port, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
      cwd: root,
    });
    expect(stdout).toMatch(/Free plan: \w+/);
    expect(stdout).toContain("Called GET /pets with the key");
    expect(stdout).toMatch(/"items"/);
  }, 60_000);
});
