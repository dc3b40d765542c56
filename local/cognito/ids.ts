// Cognito ids the sandbox can name before it starts. A new user pool's id and a new app client's id
// follow from the state's id seed (a random file kept with the state) and the name (the first such id
// no other holds), much as moto's HASH id strategy does: the ids look like AWS's and differ from one
// state to the next, yet `npm run dev` knows the portal's pool and client before the sandbox has
// loaded, so Next starts at once (local/settings.ts, local/dev.ts).
import { createHash } from "node:crypto";

/** The portal's pool and app client, as local/cognito/seed.ts creates them. */
export const USER_POOL_NAME = "portico";
export const APP_CLIENT_NAME = "portico-web";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

/** `us-east-1_` and nine letters or digits, as AWS's pool ids are. */
export function userPoolId(seed: string, region: string, poolName: string, ordinal = 0): string {
  return `${region}_${letters(["pool", seed, region, poolName, String(ordinal)], BASE62, 9)}`;
}

/** Twenty-six lower-case letters or digits, as AWS's app client ids are. */
export function appClientId(seed: string, poolId: string, clientName: string, ordinal = 0): string {
  return letters(["client", seed, poolId, clientName, String(ordinal)], BASE36, 26);
}

/** The first id from `derive(0)`, `derive(1)`, … that `taken` doesn't hold. */
export function firstFree(derive: (ordinal: number) => string, taken: (id: string) => boolean): string {
  for (let ordinal = 0; ; ordinal += 1) {
    const id = derive(ordinal);
    if (!taken(id)) return id;
  }
}

function letters(parts: string[], alphabet: string, length: number): string {
  const digest = createHash("sha256").update(parts.join("\0")).digest();
  // 32 bytes, each taken modulo the alphabet: a slight bias, harmless for ids.
  return Array.from(digest.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join("");
}
