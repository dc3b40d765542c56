import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client";
import { tableName } from "../db/table";

/**
 * The name to give Cognito for a portal user: their sub, from the account Auth.js linked at their
 * first sign-in. In a pool that signs in by email, the email is only an alias: it changes when the
 * address does, and may then name someone else's account. Users who never signed in (invited, or
 * written by tests) have no linked account: their email is all there is.
 */
export async function cognitoUsername(userId: string, email: string): Promise<string>;
export async function cognitoUsername(userId: string, email?: string | null): Promise<string | undefined>;
export async function cognitoUsername(userId: string, email?: string | null): Promise<string | undefined> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :account)",
      ExpressionAttributeValues: { ":pk": `USER#${userId}`, ":account": "ACCOUNT#cognito#" },
      ProjectionExpression: "providerAccountId",
    }),
  );
  const sub = Items[0]?.providerAccountId;
  return typeof sub === "string" && sub ? sub : (email ?? undefined);
}
