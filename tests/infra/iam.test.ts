import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as apigatewaySdk from "@aws-sdk/client-api-gateway";
import { describe, expect, it } from "vitest";
import {
  AUDIT_PARTITION,
  auditArchiverStatements,
  CALLS,
  jobStatements,
  marketplaceListenerStatements,
  SDK_PERMISSIONS,
  sesFeedbackStatements,
  statementsFor,
  STREAM_READ_ACTIONS,
  webStatements,
  type Piece,
  type SdkCommand,
  type Statement,
} from "@/infra/lib/iam";
import { INDEX_NAMES } from "@/infra/lib/table";
import { functionEntry, LIBRARY_CALLS, root, sdkCalls, webEntries } from "./sdk-calls";

const scope = { partition: "aws", region: "eu-west-1" };
const tableArn = "arn:aws:dynamodb:eu-west-1:123456789012:table/portico-prod-TableTable-abc";
const streamArn = `${tableArn}/stream/2026-01-01T00:00:00.000`;
const userPoolArn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123";
const archiveBucketArn = "arn:aws:s3:::portico-prod-auditarchive-abc";
const distributionArn = "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456";
const job = { scope, tableArn, indexNames: INDEX_NAMES };
const emailIdentityArn = "arn:aws:ses:eu-west-1:123456789012:identity/example.com";
const configurationSetArn = "arn:aws:ses:eu-west-1:123456789012:configuration-set/portico-prod-notices";

/** Roles by the name the tests print, and the piece (CALLS key) each is built for. */
const PIECES: Record<string, Piece> = {
  web: "web",
  "web without Marketplace": "web",
  "marketplace listener": "marketplace-listener",
  "key sweeper": "key-sweeper",
  reconciler: "reconciler",
  "usage collector": "usage-collector",
  notifier: "notifier",
  "notifier without email": "notifier",
  "SES feedback listener": "ses-feedback",
};

const tableRoles: Record<string, Statement[]> = {
  web: webStatements({ ...job, userPoolArn, distributionArn, marketplace: true }),
  "web without Marketplace": webStatements({ ...job, userPoolArn, distributionArn, marketplace: false }),
  "marketplace listener": marketplaceListenerStatements(job),
  "key sweeper": jobStatements("key-sweeper", job),
  reconciler: jobStatements("reconciler", job),
  "usage collector": jobStatements("usage-collector", job),
  notifier: jobStatements("notifier", { ...job, emailIdentityArn, configurationSetArn }),
  "notifier without email": jobStatements("notifier", job),
  "SES feedback listener": sesFeedbackStatements(job),
};
const archiver = auditArchiverStatements({ scope, streamArn, archiveBucketArn });
const roles: Record<string, Statement[]> = { ...tableRoles, "audit archiver": archiver };

/** Every (action, resource) pair a policy grants (deny statements only ever take away). */
function grants(statements: Statement[]): Array<[string, string]> {
  return statements.filter((s) => s.effect !== "deny").flatMap((s) => s.actions.flatMap((a) => s.resources.map((r): [string, string] => [a, r])));
}

function allows(statements: Statement[], action: string, resource: string): boolean {
  const matches = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`).test(value);
  return grants(statements).some(([a, r]) => matches(a, action) && matches(r, resource));
}

const apigw = (path: string) => `arn:aws:apigateway:eu-west-1::${path}`;
const RESOLVE_CUSTOMER: Statement = { actions: ["aws-marketplace:ResolveCustomer"], resources: ["*"] };

it("protects the partition the audit log really writes to", async () => {
  expect(AUDIT_PARTITION).toBe((await import("@/lib/db/keys")).AUDIT_PK);
});

describe.each(Object.entries(roles))("IAM for the %s", (role, statements) => {
  it("keeps the audit log append-only: no update, delete or batch write in its partition", () => {
    const deny = statements.find((s) => s.effect === "deny");
    if (role === "audit archiver") {
      expect(allows(statements, "dynamodb:PutItem", tableArn)).toBe(false);
      return expect(deny).toBeUndefined();
    }
    expect(deny).toEqual({
      effect: "deny",
      actions: ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
      resources: [tableArn],
      conditions: [{ test: "ForAnyValue:StringEquals", variable: "dynamodb:LeadingKeys", values: [AUDIT_PARTITION] }],
    });
  });

  it("names every action: no service-wide wildcards", () => {
    for (const [action] of grants(statements)) {
      expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      expect(action).not.toContain("*");
    }
  });

  it("grants `*` resources only for ResolveCustomer, which supports nothing narrower", () => {
    for (const s of statements) {
      if (s.resources.includes("*")) expect(s).toEqual(RESOLVE_CUSTOMER);
    }
  });

  it("reaches DynamoDB only on the portal's table and its GSI1 index (the archiver: only the stream, read-only)", () => {
    const allowed = role === "audit archiver" ? [streamArn] : [tableArn, `${tableArn}/index/GSI1`];
    for (const [action, resource] of grants(statements).filter(([a]) => a.startsWith("dynamodb:"))) {
      expect(allowed, `${action} on ${resource}`).toContain(resource);
    }
    expect(allows(statements, "dynamodb:GetItem", streamArn)).toBe(false);
    expect(allows(statements, "dynamodb:UpdateTable", tableArn)).toBe(false);
    expect(allows(statements, "dynamodb:DeleteTable", tableArn)).toBe(false);
    expect(allows(statements, "dynamodb:GetItem", tableArn.replace("portico-prod", "other"))).toBe(false);
  });

  it("reads the table's stream only in the archiver", () => {
    expect(allows(statements, "dynamodb:GetRecords", streamArn)).toBe(role === "audit archiver");
  });

  it("reaches API Gateway only on keys, usage plans and REST APIs of its Region", () => {
    for (const [action, resource] of grants(statements).filter(([a]) => a.startsWith("apigateway:"))) {
      expect(`${action} ${resource}`).toMatch(/^apigateway:(GET|POST|PATCH|DELETE) arn:aws:apigateway:eu-west-1::\/(apikeys|usageplans|restapis)(\/|$)/);
    }
    expect(allows(statements, "apigateway:GET", apigw("/domainnames"))).toBe(false);
    expect(allows(statements, "apigateway:GET", "arn:aws:apigateway:us-east-1::/apikeys")).toBe(false);
    expect(allows(statements, "apigateway:PUT", apigw("/restapis/a1b2c3"))).toBe(false);
  });

  it("can neither change REST APIs nor create, change or delete usage plans", () => {
    for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
      expect(allows(statements, `apigateway:${method}`, apigw("/restapis")), method).toBe(false);
      expect(allows(statements, `apigateway:${method}`, apigw("/restapis/a1b2c3/stages/prod")), method).toBe(false);
    }
    expect(allows(statements, "apigateway:POST", apigw("/usageplans"))).toBe(false);
    expect(allows(statements, "apigateway:PATCH", apigw("/usageplans/p1"))).toBe(false);
    expect(allows(statements, "apigateway:DELETE", apigw("/usageplans/p1"))).toBe(false);
  });

  it("has no Cognito access beyond user administration of the portal's pool", () => {
    for (const [action, resource] of grants(statements).filter(([a]) => a.startsWith("cognito-idp:"))) {
      expect(resource).toBe(userPoolArn);
      expect(action).toMatch(/^cognito-idp:(Admin|List)/);
    }
    expect(allows(statements, "cognito-idp:DeleteUserPool", userPoolArn)).toBe(false);
    expect(allows(statements, "cognito-idp:UpdateUserPoolClient", userPoolArn)).toBe(false);
    expect(allows(statements, "cognito-idp:AdminSetUserPassword", userPoolArn)).toBe(false);
  });

  it("can't delete from the audit archive or touch its lock (only the archiver writes, and only objects)", () => {
    const s3 = grants(statements).filter(([a]) => a.startsWith("s3:"));
    expect(s3).toEqual(role === "audit archiver" ? [["s3:PutObject", `${archiveBucketArn}/*`]] : []);
    for (const action of [
      "s3:DeleteObject",
      "s3:DeleteObjectVersion",
      "s3:BypassGovernanceRetention",
      "s3:PutObjectRetention",
      "s3:PutObjectLegalHold",
      "s3:PutBucketObjectLockConfiguration",
      "s3:PutBucketPolicy",
      "s3:PutLifecycleConfiguration",
      "s3:PutBucketVersioning",
      "s3:GetObject",
    ]) {
      expect(allows(statements, action, `${archiveBucketArn}/entries/x.json`), action).toBe(false);
      expect(allows(statements, action, archiveBucketArn), action).toBe(false);
    }
  });
});

describe("what each piece may do", () => {
  it("lets the portal run every control-plane operation it uses, and no plan changes", () => {
    const web = tableRoles.web!;
    const ops: Array<[string, string]> = [
      ["GET", "/apikeys/k1"],
      ["POST", "/apikeys"],
      ["PATCH", "/apikeys/k1"],
      ["DELETE", "/apikeys/k1"],
      ["GET", "/usageplans"],
      ["GET", "/usageplans/p1/keys/k1"],
      ["GET", "/usageplans/p1/usage"],
      ["POST", "/usageplans/p1/keys"],
      ["DELETE", "/usageplans/p1/keys/k1"],
      ["GET", "/restapis"],
      ["GET", "/restapis/a1/stages/prod/exports/oas30"],
      ["GET", "/restapis/a1/stages/prod/sdks/javascript"],
    ];
    for (const [method, path] of ops) expect(allows(web, `apigateway:${method}`, apigw(path)), `${method} ${path}`).toBe(true);
    // Listing every key is the reconciler's job; the portal reads its own rows.
    expect(allows(web, "apigateway:GET", apigw("/apikeys"))).toBe(false);
  });

  it("keeps Scan off the request path; only the reconciler may walk the table", () => {
    for (const [role, statements] of Object.entries(roles)) {
      expect(allows(statements, "dynamodb:Scan", tableArn), role).toBe(role === "reconciler");
    }
  });

  it("lets the portal read through GSI1 but not write to an index", () => {
    expect(allows(tableRoles.web!, "dynamodb:Query", `${tableArn}/index/GSI1`)).toBe(true);
    expect(allows(tableRoles.web!, "dynamodb:PutItem", `${tableArn}/index/GSI1`)).toBe(false);
  });

  it("resolves Marketplace tokens only in the portal, and only when Marketplace is on", () => {
    expect(allows(tableRoles.web!, "aws-marketplace:ResolveCustomer", "*")).toBe(true);
    for (const role of Object.keys(roles).filter((r) => r !== "web")) {
      expect(allows(roles[role]!, "aws-marketplace:ResolveCustomer", "*"), role).toBe(false);
    }
  });

  it("gives Cognito administration to the portal alone", () => {
    for (const role of Object.keys(roles).filter((r) => !r.startsWith("web"))) {
      expect(
        grants(roles[role]!).some(([a]) => a.startsWith("cognito-idp:")),
        role,
      ).toBe(false);
    }
  });

  it("lets the Marketplace listener move keys between plans, but never create, change or delete a key", () => {
    const listener = tableRoles["marketplace listener"]!;
    expect(allows(listener, "apigateway:POST", apigw("/usageplans/p1/keys"))).toBe(true);
    expect(allows(listener, "apigateway:DELETE", apigw("/usageplans/p1/keys/k1"))).toBe(true);
    expect(allows(listener, "apigateway:POST", apigw("/apikeys"))).toBe(false);
    expect(allows(listener, "apigateway:PATCH", apigw("/apikeys/k1"))).toBe(false);
    expect(allows(listener, "apigateway:DELETE", apigw("/apikeys/k1"))).toBe(false);
  });

  it("never lets the key sweeper create keys or touch plan membership", () => {
    const sweeper = tableRoles["key sweeper"]!;
    expect(allows(sweeper, "apigateway:POST", apigw("/apikeys"))).toBe(false);
    expect(allows(sweeper, "apigateway:POST", apigw("/usageplans/p1/keys"))).toBe(false);
    expect(allows(sweeper, "apigateway:DELETE", apigw("/usageplans/p1/keys/k1"))).toBe(false);
    expect(allows(sweeper, "apigateway:DELETE", apigw("/apikeys/k1"))).toBe(true);
  });

  it("lets the usage collector read usage plans and usage, and change nothing in API Gateway", () => {
    const collector = tableRoles["usage collector"]!;
    expect(allows(collector, "apigateway:GET", apigw("/usageplans"))).toBe(true);
    expect(allows(collector, "apigateway:GET", apigw("/usageplans/p1/usage"))).toBe(true);
    for (const method of ["POST", "PATCH", "DELETE"]) {
      expect(
        grants(collector).some(([a]) => a === `apigateway:${method}`),
        method,
      ).toBe(false);
    }
  });

  it("sends email from the notifier alone, through the stage's identity and configuration set only", () => {
    for (const [role, statements] of Object.entries(roles)) {
      const ses = grants(statements).filter(([a]) => a.startsWith("ses:"));
      expect(ses, role).toEqual(
        role === "notifier"
          ? [
              ["ses:SendEmail", emailIdentityArn],
              ["ses:SendEmail", configurationSetArn],
            ]
          : [],
      );
    }
    const notifier = tableRoles.notifier!;
    expect(allows(notifier, "ses:SendEmail", emailIdentityArn.replace("example.com", "other.example"))).toBe(false);
    expect(allows(notifier, "ses:SendRawEmail", emailIdentityArn)).toBe(false);
    expect(allows(notifier, "ses:PutSuppressedDestination", "*")).toBe(false);
    expect(allows(notifier, "ses:DeleteSuppressedDestination", emailIdentityArn)).toBe(false);
    // No email setting, no identity: the notifier keeps its table access and sends webhooks only.
    expect(grants(tableRoles["notifier without email"]!).sort()).toEqual(
      grants(statementsFor(["GetCommand", "PutCommand", "UpdateCommand", "QueryCommand"], job)).sort(),
    );
    expect(() => statementsFor(["SendEmailCommand"], job)).toThrow("a command needs the SES identity, which was not given");
  });

  it("lets the SES feedback listener add rows to the table, nothing more", () => {
    expect(grants(tableRoles["SES feedback listener"]!)).toEqual([["dynamodb:PutItem", tableArn]]);
  });

  it("lets the archiver read the stream and add objects, nothing more", () => {
    expect(grants(archiver).sort()).toEqual(
      [...STREAM_READ_ACTIONS.map((a): [string, string] => [a, streamArn]), ["s3:PutObject", `${archiveBucketArn}/*`]].sort(),
    );
  });

  it("builds API Gateway ARNs for other partitions", () => {
    const [get] = statementsFor(["GetUsagePlansCommand"], { scope: { partition: "aws-cn", region: "cn-north-1" } });
    expect(get!.resources[0]).toBe("arn:aws-cn:apigateway:cn-north-1::/usageplans");
  });
});

/** The code each piece runs: the web server is app/ (plus proxy and instrumentation); the others their functions/*.ts. */
const ENTRIES: Record<Piece, () => string[]> = {
  web: webEntries,
  "marketplace-listener": () => functionEntry("marketplace-listener"),
  "key-sweeper": () => functionEntry("key-sweeper"),
  reconciler: () => functionEntry("reconciler"),
  "usage-collector": () => functionEntry("usage-collector"),
  notifier: () => functionEntry("notifier"),
  "audit-archiver": () => functionEntry("audit-archiver"),
  "ses-feedback": () => functionEntry("ses-feedback"),
};

/** What a declared list gets wrong about the code: commands it sends that aren't listed, and listed ones it never sends. */
function drift(declared: readonly string[], sent: Set<string>) {
  return { missing: [...sent].filter((c) => !declared.includes(c)).sort(), unused: declared.filter((c) => !sent.has(c)).sort() };
}

/** What each piece's code reaches (`<file>#local:<declaration>`), beside the commands it sends. */
const reachedBy = {} as Record<Piece, Set<string>>;
const sentBy = Object.fromEntries(
  Object.entries(ENTRIES).map(([piece, entries]) => [piece, sdkCalls(entries(), (reachedBy[piece as Piece] = new Set()))]),
) as Record<Piece, Set<string>>;

describe("grants follow the code", () => {
  it.each(Object.keys(CALLS) as Piece[])("the %s is granted exactly the commands its code sends", (piece) => {
    // Missing: add the command to CALLS (and SDK_PERMISSIONS) in infra/lib/iam.ts. Unused: remove it.
    expect(drift(CALLS[piece], sentBy[piece])).toEqual({ missing: [], unused: [] });
  });

  it("catches a grant removed from, or added to, a piece's list", () => {
    const reconciler = CALLS.reconciler;
    for (const call of reconciler) {
      expect(
        drift(
          reconciler.filter((c) => c !== call),
          sentBy.reconciler,
        ).missing,
        call,
      ).toEqual([call]);
    }
    expect(drift([...CALLS["marketplace-listener"], "CreateApiKeyCommand"], sentBy["marketplace-listener"]).unused).toEqual(["CreateApiKeyCommand"]);
  });

  it("finds the commands behind a call (sanity check of the reader)", () => {
    expect(sentBy.web.has("CreateApiKeyCommand")).toBe(true);
    expect(sentBy["key-sweeper"].has("CreateApiKeyCommand")).toBe(false);
    expect(sentBy["audit-archiver"]).toEqual(new Set(["PutObjectCommand"]));
  });

  it("lets every piece that calls API Gateway keep to the shared control-plane budget (the limiter's reads and writes on the table)", () => {
    // The limiter's rows (lib/db/rate-buckets.ts): what its store sends, read from the code.
    const store = `${path.join(root, "lib/db/rate-buckets.ts")}#local:DynamoBucketStore`;
    const limiter = [...sdkCalls([path.join(root, "lib/db/rate-buckets.ts")])].sort();
    expect(limiter).toEqual(["GetCommand", "UpdateCommand"]);
    const callers = (Object.keys(CALLS) as Piece[]).filter((piece) =>
      [...sentBy[piece]].some((c) => SDK_PERMISSIONS[c as SdkCommand]?.[0].startsWith("apigateway:")),
    );
    expect(callers.sort()).toEqual(["key-sweeper", "marketplace-listener", "reconciler", "usage-collector", "web"]);
    for (const piece of callers) {
      // Its API Gateway calls go through the limiter, whose commands its list then holds.
      expect(reachedBy[piece].has(store), `${piece} reaches the limiter's store`).toBe(true);
      for (const command of limiter) expect(CALLS[piece], piece).toContain(command);
    }
    for (const [role, statements] of Object.entries(tableRoles).filter(([role]) => callers.includes(PIECES[role]!))) {
      expect(allows(statements, "dynamodb:GetItem", tableArn), role).toBe(true);
      expect(allows(statements, "dynamodb:UpdateItem", tableArn), role).toBe(true);
    }
    // The archiver and the SES feedback listener send no control-plane call, and are given no table access for the limiter.
    expect(reachedBy["audit-archiver"].has(store)).toBe(false);
    expect(reachedBy["ses-feedback"].has(store)).toBe(false);
  });

  it.each(Object.entries(tableRoles))("builds the %s's statements from its list alone, one grant per command", (role, statements) => {
    const calls: readonly SdkCommand[] =
      role === "web without Marketplace"
        ? CALLS.web.filter((c) => c !== "ResolveCustomerCommand")
        : role === "notifier without email"
          ? CALLS.notifier.filter((c) => c !== "SendEmailCommand")
          : CALLS[PIECES[role]!];
    const resources = { ...job, userPoolArn, distributionArn, emailIdentityArn, configurationSetArn };
    const expected = new Set(calls.flatMap((c) => grants(statementsFor([c], resources)).map((g) => g.join(" "))));
    expect(new Set(grants(statements).map((g) => g.join(" ")))).toEqual(expected);
  });

  it("sends SDK calls only as `client.send(new …Command())`, which is what the reader sees", () => {
    const files = [...webEntries(), ...Object.values(ENTRIES).flatMap((e) => e())];
    const libFiles = (dir: string): string[] => readdirRecursive(path.join(root, dir));
    for (const file of [...new Set([...files, ...libFiles("lib")])]) {
      const text = readFileSync(file, "utf8");
      expect(
        text.match(/\b(db|dynamodb|apigateway|cognito|marketplaceMetering|s3|cloudfront)\.(?!send\b|middlewareStack\b)\w+\(/g),
        path.relative(root, file),
      ).toBeNull();
    }
  });

  it("knows which commands Auth.js's DynamoDB adapter sends (its document-client methods)", () => {
    const source = readFileSync(path.join(root, "node_modules/@auth/dynamodb-adapter/index.js"), "utf8");
    const methods = new Set([...source.matchAll(/\bclient\.(\w+)\(/g)].map((m) => m[1]!));
    const commands = [...methods].map((m) => `${m[0]!.toUpperCase()}${m.slice(1)}Command`).sort();
    expect(commands).toEqual([...LIBRARY_CALLS["@auth/dynamodb-adapter"]!].sort());
  });

  it("maps every API Gateway command to the method and path the SDK really requests", async () => {
    const client = new apigatewaySdk.APIGatewayClient({ region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    let request: { method: string; path: string } | undefined;
    client.middlewareStack.add(
      () => async (args) => {
        request = args.request as { method: string; path: string };
        throw new Error("captured");
      },
      { step: "build" },
    );
    const input = {
      apiKey: "k1",
      usagePlanId: "p1",
      keyId: "k1",
      keyType: "API_KEY",
      restApiId: "a1",
      stageName: "prod",
      exportType: "oas30",
      sdkType: "javascript",
      startDate: "2026-01-01",
      endDate: "2026-01-02",
    };
    const commands = (Object.keys(SDK_PERMISSIONS) as SdkCommand[]).filter((c) => SDK_PERMISSIONS[c][0].startsWith("apigateway:"));
    expect(commands.length).toBeGreaterThan(10);
    for (const name of commands) {
      const Command = (apigatewaySdk as unknown as Record<string, new (input: object) => Parameters<typeof client.send>[0]>)[name]!;
      await expect(client.send(new Command(input))).rejects.toThrow("captured");
      expect(
        allows(statementsFor([name], { scope }), `apigateway:${request!.method}`, apigw(request!.path)),
        `${name}: ${request!.method} ${request!.path}`,
      ).toBe(true);
    }
  });
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? readdirRecursive(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}
