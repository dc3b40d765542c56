import { AsyncLocalStorage } from "node:async_hooks";
import { processSingleton } from "../cache/process";

/**
 * Who is waiting on a call (lib/apigateway/limits.ts applies them): a person who clicked
 * ("interactive", the default); a background job, which only takes what people leave over; or
 * "urgent" work that someone waits on without a person's short patience: the undoing of a
 * half-done change, or a job's work inside a user's lease (the user can't change anything meanwhile).
 */
export type Priority = "interactive" | "background" | "urgent";

interface WaitContext {
  priority: Priority;
  /** No wait for a turn may last past this (epoch ms): the end of the request, the Lambda's time, a user's lease. */
  deadline?: number;
  /** The same for undoing a half-done change, a little later, so that an undo still has time after a step ran out of it. */
  undoDeadline?: number;
}

const storage = processSingleton("Priority", () => new AsyncLocalStorage<WaitContext>());
const current = (): WaitContext => storage.getStore() ?? { priority: "interactive" };
const earlier = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/** Runs `work` (a scheduled job, an event listener) behind the people using the portal. */
export const inBackground = <T>(work: () => T): T => storage.run({ ...current(), priority: "background" }, work);

/** Runs `work` ahead of jobs, with a job's patience (see Priority). */
export const urgently = <T>(work: () => T): T => storage.run({ ...current(), priority: "urgent" }, work);

/** Runs the steps that take back a failed change: urgently, until the undo deadline. */
export const asUndo = <T>(work: () => T): T => {
  const outer = current();
  return storage.run({ ...outer, priority: "urgent", deadline: outer.undoDeadline ?? outer.deadline }, work);
};

/**
 * Runs `work` so that none of its waits for a turn lasts past `deadline` (epoch ms), nor an undo's
 * past `undoDeadline` (default: `deadline`); earlier deadlines around it still hold.
 */
export const withinDeadline = <T>(deadline: number, work: () => T, undoDeadline = deadline): T => {
  const outer = current();
  return storage.run(
    { ...outer, deadline: earlier(outer.deadline, deadline), undoDeadline: earlier(outer.undoDeadline ?? outer.deadline, undoDeadline) },
    work,
  );
};

export const currentPriority = (): Priority => current().priority;
export const currentDeadline = (): number | undefined => current().deadline;

/** What a Lambda handler gets as its context, as far as deadlines go. */
export interface LambdaTime {
  getRemainingTimeInMillis?: () => number;
}

/**
 * Runs a Lambda handler's `work` in the background (a job, an event listener), its waits for turns
 * ending 10 s before the function's time runs out and an undo's 4 s before: what a wait ran into
 * must still be recorded or undone before Lambda stops the function.
 */
export function inBackgroundUntil<T>(lambda: LambdaTime | undefined, work: () => T): T {
  const remaining = lambda?.getRemainingTimeInMillis?.();
  if (remaining === undefined) return inBackground(work);
  const now = Date.now();
  return withinDeadline(now + remaining - 10_000, () => inBackground(work), now + remaining - 4_000);
}
