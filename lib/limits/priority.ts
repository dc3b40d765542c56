import { AsyncLocalStorage } from "node:async_hooks";
import { processSingleton } from "../cache/process";

/**
 * Who is waiting on a call: a person who clicked ("interactive", the default) or a background job.
 * Background work only takes what people leave over (lib/apigateway/limits.ts).
 */
export type Priority = "interactive" | "background";

const storage = processSingleton("Priority", () => new AsyncLocalStorage<Priority>());

/** Runs `work` (a scheduled job, an event listener) behind the people using the portal. */
export const inBackground = <T>(work: () => T): T => storage.run("background", work);

export const currentPriority = (): Priority => storage.getStore() ?? "interactive";
