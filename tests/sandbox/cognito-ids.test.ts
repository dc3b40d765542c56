import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCognito, type SeedCognitoOptions } from "@/local/cognito/seed";
import { SANDBOX_ACCOUNT_ID, SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { expectedPortalSettings } from "@/local/settings";
import { sdkConfig, startTestSandbox } from "./harness";

const POOL_ID = /^us-east-1_[0-9A-Za-z]{9}$/;
const CLIENT_ID = /^[0-9a-z]{26}$/;
const PORTAL = { portalUrl: "http://localhost:3000" };

/**
 * The sandbox's Cognito ids follow from its state (local/cognito/ids.ts), so `npm run dev` can
 * start Next with them before the sandbox is up: what it expects must be what the seed then gets.
 */
describe("sandbox Cognito ids", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let idp: CognitoIdentityProviderClient;
  let seedOptions: SeedCognitoOptions;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    idp = new CognitoIdentityProviderClient(sdkConfig(sandbox));
    seedOptions = { endpoint: sandbox.url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, callbackUrls: [], logoutUrls: [], users: [] };
  });
  afterAll(() => sandbox.stop());
  const port = () => Number(new URL(sandbox.url).port);

  it("gives the seed's pool and app client the ids expected before the sandbox started, shaped as AWS's", async () => {
    const expected = expectedPortalSettings(sandbox.context.stateDir, { port: port(), ...PORTAL });
    const seeded = await seedCognito(seedOptions);
    expect(seeded.userPoolId).toMatch(POOL_ID);
    expect(seeded.clientId).toMatch(CLIENT_ID);
    expect({ COGNITO_USER_POOL_ID: seeded.userPoolId, COGNITO_CLIENT_ID: seeded.clientId, COGNITO_ISSUER: seeded.issuer }).toEqual({
      COGNITO_USER_POOL_ID: expected.COGNITO_USER_POOL_ID,
      COGNITO_CLIENT_ID: expected.COGNITO_CLIENT_ID,
      COGNITO_ISSUER: expected.COGNITO_ISSUER,
    });
    const { UserPool } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: seeded.userPoolId }));
    expect(UserPool?.Arn).toBe(`arn:aws:cognito-idp:${SANDBOX_REGION}:${SANDBOX_ACCOUNT_ID}:userpool/${seeded.userPoolId}`);
    // Seeding again updates the client in place: same ids.
    expect(await seedCognito(seedOptions)).toEqual(seeded);
  });

  it("gives a second pool or client of the same name an id of its own, and a deleted pool's id to the next of its name", async () => {
    const seeded = await seedCognito(seedOptions);
    const second = (await idp.send(new CreateUserPoolCommand({ PoolName: "portico" }))).UserPool!.Id!;
    expect(second).toMatch(POOL_ID);
    expect(second).not.toBe(seeded.userPoolId);
    const third = (await idp.send(new CreateUserPoolCommand({ PoolName: "portico" }))).UserPool!.Id!;
    expect(new Set([seeded.userPoolId, second, third]).size).toBe(3);
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: second }));
    expect((await idp.send(new CreateUserPoolCommand({ PoolName: "portico" }))).UserPool!.Id).toBe(second);

    const client = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: seeded.userPoolId, ClientName: "portico-web" }))).UserPoolClient!;
    expect(client.ClientId).toMatch(CLIENT_ID);
    expect(client.ClientId).not.toBe(seeded.clientId);
    const described = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: seeded.userPoolId, ClientId: client.ClientId }));
    expect(described.UserPoolClient?.ClientName).toBe("portico-web");
  });

  it("derives other ids in another state, and keeps the ones endpoints.json recorded", async () => {
    const other = await startTestSandbox();
    try {
      const seeded = await seedCognito(seedOptions);
      const elsewhere = await seedCognito({ ...seedOptions, endpoint: other.url });
      expect(elsewhere.userPoolId).not.toBe(seeded.userPoolId);
      expect(elsewhere.clientId).not.toBe(seeded.clientId);

      // A state whose pool was made before ids were derived: the recorded ids win.
      const recorded = { userPoolId: "local_AbC12345", clientId: "legacyclientid", issuer: `${other.url}/local_AbC12345` };
      writeFileSync(path.join(other.context.stateDir, "endpoints.json"), JSON.stringify({ cognito: recorded }));
      const expected = expectedPortalSettings(other.context.stateDir, { port: Number(new URL(other.url).port), ...PORTAL });
      expect([expected.COGNITO_USER_POOL_ID, expected.COGNITO_CLIENT_ID, expected.COGNITO_ISSUER]).toEqual([
        recorded.userPoolId,
        recorded.clientId,
        recorded.issuer,
      ]);
    } finally {
      await other.stop();
    }
  });
});
