import type { StageSettingsInput } from "./lib/settings";

/**
 * Deploy settings per stage: the one file to edit before `npx sst deploy --stage <name>`.
 * Every field is optional and a stage not listed gets the defaults; the README's "Deploy to AWS"
 * section describes each one, and `npm test` validates this file. Nothing here is secret
 * (the Auth.js secret goes through `npx sst secret set`).
 */
export const stages: Record<string, StageSettingsInput> = {
  prod: {
    // region: "us-east-1",
    // domain: "developer.example.com",
    // Notices by email through SES (without it: webhooks only). README "Settings".
    // email: { from: "notifications@example.com" },
    // marketplace: { topicArns: ["arn:aws:sns:us-east-1:287250355862:aws-mp-subscription-notification-<product code>"] },
    // waf: { rateLimit: 2000, rateWindowSeconds: 300 },
    // Control-plane requests/s (of the account's 10) every portal process together may send, and one
    // portal limit (what you leave out keeps its default). README "Limits".
    // limits: { controlPlane: { share: 3 }, portal: { keys: { perUser: { requests: 10, seconds: 600 }, perIp: { requests: 30, seconds: 600 } } } },
  },
};
