// Run by shared-budget.test.ts as a separate process (several at once): asks the stage's shared
// table for RACE_REQUESTS turns in one bucket, all at once, and prints when each may go.
import { reserveShared, isFallingBack } from "@/lib/limits/shared";
import type { Rate } from "@/lib/limits/gcra";

const requests = Number(process.env.RACE_REQUESTS);
const limit = JSON.parse(process.env.RACE_LIMIT ?? "") as Rate;
const checks = [{ name: "race", limit }];
const starts = await Promise.all(
  Array.from({ length: requests }, async () => {
    const turn = await reserveShared("race-test", checks, { maxWaitMs: 120_000, fallback: checks, remember: true });
    return turn.ok ? turn.startAt : null;
  }),
);
process.stdout.write(JSON.stringify({ starts, fellBack: isFallingBack() }));
