import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetRestApisCommand,
  GetUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "../local/context";
import { load, spawnSandbox, table } from "./support";

const SECONDS = 5;
const CONNECTIONS = 32;
const DATA_PLANE_TARGET = 2000;

/** How fast the sandbox answers, so later benchmarks know it is not their bottleneck. */
export async function run(): Promise<void> {
  const sandbox = await spawnSandbox(4700);
  try {
    const apigw = new APIGatewayClient({ endpoint: sandbox.url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
    const apis = (await apigw.send(new GetRestApisCommand({}))).items!;
    const pets = apis.find((a) => a.name === "Pets API")!;
    // An unthrottled plan, so that the figures measure the sandbox rather than a plan's limits.
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: "Bench", apiStages: [{ apiId: pets.id!, stage: "prod" }] }));
    const key = await apigw.send(new CreateApiKeyCommand({ name: "bench", enabled: true }));
    await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: "API_KEY" }));
    const invoke = `${sandbox.url}/restapis/${pets.id}/prod/_user_request_`;

    // SDK-driven control-plane throughput: 16 concurrent callers, signing and parsing included.
    const sdkStarted = performance.now();
    let sdkOps = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() - sdkStarted < SECONDS * 1000) {
          await apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }));
          sdkOps++;
        }
      }),
    );
    const sdkRate = sdkOps / ((performance.now() - sdkStarted) / 1000);

    const scenarios = [
      { name: "control plane GET /usageplans/{id} (raw HTTP)", url: `${sandbox.url}/usageplans/${plan.id}` },
      // Shorter: an account holds at most 10,000 keys.
      {
        name: "control plane POST /apikeys (raw HTTP)",
        url: `${sandbox.url}/apikeys`,
        method: "POST" as const,
        body: JSON.stringify({ name: "load", enabled: true }),
        seconds: 3,
      },
      { name: "data plane GET /pets with key (authorize + count)", url: `${invoke}/pets`, headers: { "x-api-key": key.value! } },
      { name: "data plane GET /health without key", url: `${invoke}/health` },
    ];
    const rows: Record<string, string | number>[] = [
      { scenario: "control plane GetUsagePlan via AWS SDK (16 callers)", "req/s": Math.round(sdkRate), "p50 ms": "-", "p99 ms": "-", statuses: `${sdkOps} ok` },
    ];
    let dataPlaneRate = 0;
    for (const scenario of scenarios) {
      const result = await load({ seconds: SECONDS, connections: CONNECTIONS, ...scenario });
      if (scenario.name.startsWith("data plane GET /pets")) dataPlaneRate = result.requestsPerSecond;
      rows.push({
        scenario: scenario.name,
        "req/s": Math.round(result.requestsPerSecond),
        "p50 ms": result.p50,
        "p99 ms": result.p99,
        statuses: Object.entries(result.statuses)
          .map(([k, v]) => `${k}:${v}`)
          .join(" "),
      });
    }
    console.log(`\nSandbox throughput on this machine (${SECONDS} s per scenario, ${CONNECTIONS} connections, budget off)\n`);
    console.log(table(rows));
    console.log(
      `\nData plane with key checks: ${Math.round(dataPlaneRate)} req/s = ${(dataPlaneRate / DATA_PLANE_TARGET).toFixed(1)}x the ${DATA_PLANE_TARGET} req/s aim.`,
    );
    console.log(`AWS's own control-plane budget is 10 req/s: the sandbox answers ${Math.round(sdkRate / 10)}x that through the SDK.\n`);
  } finally {
    await sandbox.stop();
  }
}
