import { describe, expect, it } from "vitest";
import {
  apiGatewayStatements,
  keySweeperStatements,
  marketplaceListenerStatements,
  reconcilerStatements,
  usageCollectorStatements,
  AUDIT_PARTITION,
  RESOLVE_CUSTOMER,
  webStatements,
  type Statement,
} from "@/infra/lib/iam";
import { INDEX_NAMES } from "@/infra/lib/table";

const scope = { partition: "aws", region: "eu-west-1" };
const tableArn = "arn:aws:dynamodb:eu-west-1:123456789012:table/portico-prod-TableTable-abc";
const userPoolArn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123";
const job = { scope, tableArn, indexNames: INDEX_NAMES };

const roles: Record<string, Statement[]> = {
  web: webStatements({ ...job, userPoolArn, marketplace: true }),
  "web without Marketplace": webStatements({ ...job, userPoolArn, marketplace: false }),
  "marketplace listener": marketplaceListenerStatements(job),
  "key sweeper": keySweeperStatements(job),
  reconciler: reconcilerStatements(job),
  "usage collector": usageCollectorStatements(job),
};

/** Every (action, resource) pair a policy grants (deny statements only ever take away). */
function grants(statements: Statement[]): Array<[string, string]> {
  return statements.filter((s) => s.effect !== "deny").flatMap((s) => s.actions.flatMap((a) => s.resources.map((r): [string, string] => [a, r])));
}

function allows(statements: Statement[], action: string, resource: string): boolean {
  const matches = (pattern: string, value: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`).test(value);
  return grants(statements).some(([a, r]) => matches(a, action) && matches(r, resource));
}

const apigw = (path: string) => `arn:aws:apigateway:eu-west-1::${path}`;

it("protects the partition the audit log really writes to", async () => {
  expect(AUDIT_PARTITION).toBe((await import("@/lib/audit")).AUDIT_PK);
});

describe.each(Object.entries(roles))("IAM for the %s", (_role, statements) => {
  it("keeps the audit log append-only: no update, delete or batch write in its partition", () => {
    const deny = statements.find((s) => s.effect === "deny");
    expect(deny).toEqual({
      effect: "deny",
      actions: ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
      resources: [tableArn],
      conditions: [{ test: "ForAnyValue:StringEquals", variable: "dynamodb:LeadingKeys", values: [AUDIT_PARTITION] }],
    });
  });

  it("names every action: no service-wide wildcards", () => {
    for (const [action] of grants(statements)) {
      expect(action).toMatch(/^[a-z-]+:[A-Za-z]+$/);
      expect(action).not.toContain("*");
    }
  });

  it("grants `*` resources only for ResolveCustomer, which supports nothing narrower", () => {
    for (const s of statements) {
      if (s.resources.includes("*")) expect(s).toEqual(RESOLVE_CUSTOMER);
    }
  });

  it("reaches DynamoDB only on the portal's table and its GSI1 index", () => {
    for (const [action, resource] of grants(statements).filter(([a]) => a.startsWith("dynamodb:"))) {
      expect([tableArn, `${tableArn}/index/GSI1`], `${action} on ${resource}`).toContain(resource);
    }
    expect(allows(statements, "dynamodb:GetItem", `${tableArn}/stream/2026-01-01T00:00:00.000`)).toBe(false);
    expect(allows(statements, "dynamodb:DeleteTable", tableArn)).toBe(false);
    expect(allows(statements, "dynamodb:GetItem", tableArn.replace("portico-prod", "other"))).toBe(false);
  });

  it("reaches API Gateway only on keys, usage plans and REST APIs of its Region", () => {
    for (const [action, resource] of grants(statements).filter(([a]) => a.startsWith("apigateway:"))) {
      expect(`${action} ${resource}`).toMatch(/^apigateway:(GET|POST|PATCH|DELETE) arn:aws:apigateway:eu-west-1::\/(apikeys|usageplans|restapis)(\/|$)/);
    }
    expect(allows(statements, "apigateway:GET", apigw("/domainnames"))).toBe(false);
    expect(allows(statements, "apigateway:GET", "arn:aws:apigateway:us-east-1::/apikeys")).toBe(false);
    expect(allows(statements, "apigateway:PUT", apigw("/restapis/a1b2c3"))).toBe(false);
  });

  it("can neither change REST APIs nor create or delete usage plans", () => {
    for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
      expect(allows(statements, `apigateway:${method}`, apigw("/restapis")), method).toBe(false);
      expect(allows(statements, `apigateway:${method}`, apigw("/restapis/a1b2c3/stages/prod")), method).toBe(false);
    }
    expect(allows(statements, "apigateway:POST", apigw("/usageplans"))).toBe(false);
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
});

describe("what each piece may do", () => {
  it("lets the portal run every control-plane operation it uses", () => {
    const web = roles.web!;
    const ops: Array<[string, string]> = [
      ["GET", "/apikeys"],
      ["GET", "/apikeys/k1"],
      ["POST", "/apikeys"],
      ["PATCH", "/apikeys/k1"],
      ["DELETE", "/apikeys/k1"],
      ["GET", "/usageplans"],
      ["GET", "/usageplans/p1"],
      ["GET", "/usageplans/p1/keys"],
      ["GET", "/usageplans/p1/usage"],
      ["POST", "/usageplans/p1/keys"],
      ["DELETE", "/usageplans/p1/keys/k1"],
      ["PATCH", "/usageplans/p1"],
      ["GET", "/restapis"],
      ["GET", "/restapis/a1/stages"],
      ["GET", "/restapis/a1/stages/prod/exports/oas30"],
      ["GET", "/restapis/a1/stages/prod/sdks/javascript"],
    ];
    for (const [method, path] of ops) expect(allows(web, `apigateway:${method}`, apigw(path)), `${method} ${path}`).toBe(true);
  });

  it("keeps Scan off the request path; only the reconciler may walk the table", () => {
    for (const [role, statements] of Object.entries(roles)) {
      expect(allows(statements, "dynamodb:Scan", tableArn), role).toBe(role === "reconciler");
    }
  });

  it("lets the portal read through GSI1 but not write to an index", () => {
    expect(allows(roles.web!, "dynamodb:Query", `${tableArn}/index/GSI1`)).toBe(true);
    expect(allows(roles.web!, "dynamodb:PutItem", `${tableArn}/index/GSI1`)).toBe(false);
  });

  it("resolves Marketplace tokens only in the portal, and only when Marketplace is on", () => {
    expect(allows(roles.web!, "aws-marketplace:ResolveCustomer", "*")).toBe(true);
    for (const role of ["web without Marketplace", "marketplace listener", "key sweeper", "reconciler", "usage collector"]) {
      expect(allows(roles[role]!, "aws-marketplace:ResolveCustomer", "*"), role).toBe(false);
    }
  });

  it("gives Cognito administration to the portal alone", () => {
    for (const role of ["marketplace listener", "key sweeper", "reconciler", "usage collector"]) {
      expect(grants(roles[role]!).some(([a]) => a.startsWith("cognito-idp:")), role).toBe(false);
    }
  });

  it("never lets the key sweeper create keys or touch plan membership beyond removal", () => {
    const sweeper = roles["key sweeper"]!;
    expect(allows(sweeper, "apigateway:POST", apigw("/apikeys"))).toBe(false);
    expect(allows(sweeper, "apigateway:POST", apigw("/usageplans/p1/keys"))).toBe(false);
    expect(allows(sweeper, "apigateway:DELETE", apigw("/apikeys/k1"))).toBe(true);
  });

  it("lets the usage collector read usage plans and usage, and change nothing in API Gateway", () => {
    const collector = roles["usage collector"]!;
    expect(allows(collector, "apigateway:GET", apigw("/usageplans"))).toBe(true);
    expect(allows(collector, "apigateway:GET", apigw("/usageplans/p1/usage"))).toBe(true);
    for (const method of ["POST", "PATCH", "DELETE"]) {
      expect(grants(collector).some(([a]) => a === `apigateway:${method}`), method).toBe(false);
    }
  });

  it("builds API Gateway ARNs for other partitions", () => {
    const [get] = apiGatewayStatements({ partition: "aws-cn", region: "cn-north-1" }, ["GET"]);
    expect(get!.resources[0]).toBe("arn:aws-cn:apigateway:cn-north-1::/apikeys");
  });
});
