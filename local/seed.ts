import { readFileSync } from "node:fs";
import path from "node:path";
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlansCommand,
  ImportRestApiCommand,
  UpdateUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { TABLE, tableName } from "../lib/db/table";
import { seedCognito } from "./cognito/seed";
import { SANDBOX_CREDENTIALS, type SandboxContext } from "./context";
import { wireMarketplaceListener } from "./marketplace/wiring";
import { wireNotifier } from "./ses/wiring";

const seedSchema = z.object({
  apis: z.array(z.object({ spec: z.string(), stages: z.array(z.string()).min(1) })),
  usagePlans: z.array(
    z.object({
      name: z.string(),
      description: z.string().optional(),
      apiStages: z.array(z.object({ api: z.string(), stage: z.string() })),
      throttle: z.object({ rateLimit: z.number(), burstLimit: z.number().int() }).optional(),
      quota: z.object({ limit: z.number().int(), period: z.enum(["DAY", "WEEK", "MONTH"]), offset: z.number().int().default(0) }).optional(),
      productCode: z.string().optional(),
    }),
  ),
  users: z.array(z.object({ username: z.string(), email: z.string(), name: z.string(), password: z.string(), groups: z.array(z.string()) })),
});
export type SeedFile = z.infer<typeof seedSchema>;

export interface SeedResult {
  table: string;
  cognito: { userPoolId: string; clientId: string; issuer: string };
  users: { username: string; password: string; groups: string[] }[];
  apis: { id: string; name: string; stages: string[] }[];
  usagePlans: { id: string; name: string; productCode?: string }[];
  /** The Marketplace topics of every plan with a product code, each with the listener subscribed. */
  marketplace: { topicArns: string[] };
}

export function readSeedFile(root: string): SeedFile {
  return seedSchema.parse(parseYaml(readFileSync(path.join(root, "local/seed.yaml"), "utf8")));
}

/**
 * Seeds the sandbox through the real AWS SDK (so the seed itself exercises the wire formats).
 * Idempotent: resources are found by name and created only when missing.
 */
export async function seed(ctx: SandboxContext, portalUrl: string): Promise<SeedResult> {
  const config = { endpoint: ctx.url, region: ctx.region, credentials: SANDBOX_CREDENTIALS };
  const file = readSeedFile(ctx.root);
  const table = tableName();
  // Three independent parts at once (a cold start waits for the slowest, not the sum).
  const [{ apis, usagePlans, existingPlans }, , cognito] = await Promise.all([
    seedApiGateway(ctx, file, new APIGatewayClient(config)),
    ensureTable(new DynamoDBClient(config), table),
    seedCognito({
      endpoint: ctx.url,
      region: ctx.region,
      credentials: SANDBOX_CREDENTIALS,
      callbackUrls: [`${portalUrl}/api/auth/callback/cognito`],
      logoutUrls: [`${portalUrl}/`],
      users: file.users,
    }),
  ]);
  // Plans the owner gave a product code by hand (a restart with kept state) count as much as the seed's.
  const productCodes = [...existingPlans.map((p) => p.productCode), ...usagePlans.map((p) => p.productCode)].filter((code): code is string => !!code);
  const marketplace = await wireMarketplaceListener(ctx, { productCodes, table });
  await wireNotifier(ctx, { table, portalUrl });
  return { table, cognito, users: file.users.map(({ username, password, groups }) => ({ username, password, groups })), apis, usagePlans, marketplace };
}

/** The REST APIs (imported and deployed to their stages), then the usage plans that name them. */
async function seedApiGateway(ctx: SandboxContext, file: SeedFile, apigw: APIGatewayClient) {
  const existingApis = (await apigw.send(new GetRestApisCommand({ limit: 500 }))).items ?? [];
  const apis: SeedResult["apis"] = await Promise.all(
    file.apis.map(async (entry) => {
      const body = readFileSync(path.join(ctx.root, entry.spec));
      const title = z.object({ info: z.object({ title: z.string() }) }).parse(parseYaml(body.toString())).info.title;
      const api = existingApis.find((a) => a.name === title) ?? (await apigw.send(new ImportRestApiCommand({ body })));
      const stages = new Set(((await apigw.send(new GetStagesCommand({ restApiId: api.id! }))).item ?? []).map((s) => s.stageName));
      for (const stage of entry.stages) {
        if (!stages.has(stage)) await apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: stage }));
      }
      return { id: api.id!, name: title, stages: entry.stages };
    }),
  );

  const existingPlans = (await apigw.send(new GetUsagePlansCommand({ limit: 500 }))).items ?? [];
  const usagePlans: SeedResult["usagePlans"] = [];
  for (const entry of file.usagePlans) {
    let plan = existingPlans.find((p) => p.name === entry.name);
    if (!plan) {
      plan = await apigw.send(
        new CreateUsagePlanCommand({
          name: entry.name,
          description: entry.description,
          apiStages: entry.apiStages.map((s) => {
            const api = apis.find((a) => a.name === s.api);
            if (!api) throw new Error(`local/seed.yaml: usage plan '${entry.name}' names unknown API '${s.api}'`);
            return { apiId: api.id, stage: s.stage };
          }),
          throttle: entry.throttle,
          quota: entry.quota,
        }),
      );
      // productCode can only be set by PATCH (as in AWS).
      if (entry.productCode) {
        await apigw.send(
          new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: "replace", path: "/productCode", value: entry.productCode }] }),
        );
      }
    }
    usagePlans.push({ id: plan.id!, name: entry.name, ...(entry.productCode ? { productCode: entry.productCode } : {}) });
  }
  return { apis, usagePlans, existingPlans };
}

async function ensureTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  if ((await dynamodb.send(new ListTablesCommand({}))).TableNames?.includes(table)) return;
  const index = TABLE.indexes[0];
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
      ],
      AttributeDefinitions: [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey].map((name) => ({ AttributeName: name, AttributeType: "S" })),
      GlobalSecondaryIndexes: [
        {
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    }),
  );
  // dynalite has no TTL (UpdateTimeToLive is not implemented), so readers must ignore expired rows anyway.
}
