import { queryAll } from "./items";
import { membershipIndex } from "./keys";

/** A person's team memberships as GSI1 indexes them (lib/teams/store.ts MemberRow; read here so the catalog can too). */
export function readMembershipRows<T>(userId: string): Promise<T[]> {
  return queryAll<T>({
    IndexName: "GSI1",
    KeyConditionExpression: "GSI1PK = :pk",
    ExpressionAttributeValues: { ":pk": membershipIndex(userId, "").GSI1PK },
  });
}
