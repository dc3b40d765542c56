/**
 * Email is on when the stage names a sender (`PORTICO_EMAIL_FROM`, set by infra/ from the verified
 * SES identity; the sandbox sets its own), optionally with an SES configuration set (bounces and
 * complaints). Read from the environment alone: the notifier job has no other portal settings.
 */
export interface EmailSettings {
  from: string;
  configurationSet?: string;
}

export function emailSettings(): EmailSettings | undefined {
  const from = process.env.PORTICO_EMAIL_FROM?.trim();
  if (!from) return undefined;
  const configurationSet = process.env.PORTICO_SES_CONFIGURATION_SET?.trim();
  return { from, ...(configurationSet ? { configurationSet } : {}) };
}
