import type { SandboxContext } from "../context";
import { setFunctionEnvironment } from "../functions";
import { authSecret } from "../settings";

/** Who the sandbox's notices come from: any address works here (the mailbox shows them all). */
export const SANDBOX_EMAIL_FROM = "notifications@portico.localhost";

/**
 * The notifier job (functions/notifier.ts) as infra/ sets it up in AWS: the table, the portal's
 * address and link-signing secret (unsubscribe links), the sender, and — here only — webhook
 * endpoints on this machine.
 */
export function wireNotifier(ctx: SandboxContext, input: { table: string; portalUrl: string }): void {
  setFunctionEnvironment(ctx, "notifier", {
    PORTICO_TABLE: input.table,
    AUTH_URL: input.portalUrl,
    AUTH_SECRET: authSecret(ctx.stateDir),
    PORTICO_EMAIL_FROM: SANDBOX_EMAIL_FROM,
    PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1",
  });
}
