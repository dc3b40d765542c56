import { AsyncLocalStorage } from "node:async_hooks";
import { processSingleton } from "../cache/process";

/**
 * Who is waiting on a call: a person who clicked ("interactive", the default), a background job
 * (only takes what people leave over), or the undoing of a half-done change ("undo": queues like a
 * person but keeps asking as long as a job would, since giving up would leave the change half done).
 * lib/apigateway/limits.ts applies them.
 */
export type Priority = "interactive" | "background" | "undo";

interface WaitContext {
  priority: Priority;
  /** No wait for a turn may last past this (epoch ms): e.g. the end of the user lease the work holds. */
  deadline?: number;
}

const storage = processSingleton("Priority", () => new AsyncLocalStorage<WaitContext>());
const current = (): WaitContext => storage.getStore() ?? { priority: "interactive" };

/** Runs `work` (a scheduled job, an event listener) behind the people using the portal. */
export const inBackground = <T>(work: () => T): T => storage.run({ ...current(), priority: "background" }, work);

/** Runs `work` (the steps that take back a failed change) with the patience of a job and a person's place in the queue. */
export const asUndo = <T>(work: () => T): T => storage.run({ ...current(), priority: "undo" }, work);

/** Runs `work` so that none of its waits for a turn lasts past `deadline` (epoch ms; an outer, earlier one still holds). */
export const withinDeadline = <T>(deadline: number, work: () => T): T => {
  const outer = current();
  return storage.run({ ...outer, deadline: Math.min(deadline, outer.deadline ?? Number.POSITIVE_INFINITY) }, work);
};

export const currentPriority = (): Priority => current().priority;
export const currentDeadline = (): number | undefined => current().deadline;
