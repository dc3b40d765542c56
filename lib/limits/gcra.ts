/**
 * The generic cell rate algorithm: a token bucket kept as one number, the bucket's "theoretical
 * arrival time" (TAT, epoch ms), the moment it would be full again. It admits exactly the requests
 * a token bucket of the same rate and burst admits (API Gateway's own limits are token buckets),
 * and a number is what a single DynamoDB attribute can hold and a conditional write can guard.
 */

/** `rate` requests per second, at most `burst` at once. */
export interface Rate {
  rate: number;
  burst: number;
}

/** One bucket a request must pass: its name in the stored row and its rate. */
export interface BucketCheck {
  name: string;
  limit: Rate;
  /** Tokens this request must leave in the bucket (a background job leaves room for people). */
  keep?: number;
}

/** Milliseconds between two requests at the bucket's rate. */
export const interval = (limit: Rate) => 1000 / limit.rate;

/** The earliest moment (epoch ms, never before `now`) a request may go, given the bucket's TAT. */
export function earliestStart(tat: number | undefined, check: BucketCheck, now: number): number {
  if (tat === undefined) return now;
  const tolerance = Math.max(0, check.limit.burst - 1 - (check.keep ?? 0)) * interval(check.limit);
  return Math.max(now, tat - tolerance);
}

/** The bucket's TAT once a request has gone at `start`. */
export const tatAfter = (tat: number | undefined, limit: Rate, start: number) => Math.max(start, tat ?? start) + interval(limit);

/** "N requests every S seconds" as a rate: a bucket of N, refilled at N/S a second. */
export const perWindow = (requests: number, seconds: number): Rate => ({ rate: requests / seconds, burst: requests });
