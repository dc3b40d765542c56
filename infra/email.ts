import { sesFeedbackEnvironment } from "./lib/environment";
import { sesFeedbackStatements, type AccountScope } from "./lib/iam";
import type { StageSettings } from "./lib/settings";
import type { Storage } from "./storage";
import { NODE_RUNTIME } from "./lib/versions";

/** The events SES publishes to the feedback topic: the ones that stop mail to an address. */
export const FEEDBACK_EVENT_TYPES = ["BOUNCE", "COMPLAINT"];

/** The configuration set's name (SES: at most 64 letters, digits, `_` and `-`; stage names are at most 25). */
export const configurationSetName = (app: string, stage: string) => `${app}-${stage}-notices`;

/**
 * Notices by email (stage setting `email`): the sending domain as an SES identity signed with Easy
 * DKIM (its three CNAME records are a stack output, `emailDkimRecords`, for the domain's DNS), a
 * configuration set that puts addresses that bounce or complain on the account's suppression list
 * and publishes those events to an SNS topic, and the ses-feedback function subscribed to it, which
 * stops the portal's own mail to them (lib/notifications/suppression.ts). The notifier
 * (infra/jobs.ts) sends through both. Off, and nothing created, without `email`.
 */
export function createEmail(settings: StageSettings, resources: { storage: Storage; scope: AccountScope }) {
  const email = settings.email;
  if (!email) return undefined;
  const { storage, scope } = resources;

  const configurationSet = new aws.sesv2.ConfigurationSet("EmailConfigurationSet", {
    configurationSetName: configurationSetName($app.name, $app.stage),
    suppressionOptions: { suppressedReasons: FEEDBACK_EVENT_TYPES },
  });
  const identity = new aws.sesv2.EmailIdentity("EmailIdentity", {
    emailIdentity: email.domain,
    // Mail from the identity that names no configuration set still gets this one's suppression and events.
    configurationSetName: configurationSet.configurationSetName,
    dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
  });

  const topic = new sst.aws.SnsTopic("EmailFeedback");
  new aws.sesv2.ConfigurationSetEventDestination("EmailFeedbackDestination", {
    configurationSetName: configurationSet.configurationSetName,
    eventDestinationName: "bounces-and-complaints",
    eventDestination: { enabled: true, matchingEventTypes: FEEDBACK_EVENT_TYPES, snsDestination: { topicArn: topic.arn } },
  });

  const listener = new sst.aws.Function("SesFeedback", {
    runtime: NODE_RUNTIME,
    handler: "functions/ses-feedback.handler",
    description: "SES bounce and complaint events: stops the portal's mail to those addresses",
    timeout: "30 seconds",
    environment: $resolve([storage.table.name, topic.arn]).apply(([tableName, topicArn]) => sesFeedbackEnvironment({ tableName, topicArn })),
    permissions: storage.table.arn.apply((tableArn) => sesFeedbackStatements({ scope, tableArn })),
  });
  topic.subscribe("SesFeedback", listener.arn);

  return {
    from: email.from,
    configurationSetName: configurationSet.configurationSetName,
    configurationSetArn: configurationSet.arn,
    identityArn: identity.arn,
    /** What to add to the domain's DNS for DKIM (and so for verification). */
    dkimRecords: identity.dkimSigningAttributes.apply((dkim) =>
      (dkim.tokens ?? []).map((token) => `${token}._domainkey.${email.domain} CNAME ${token}.dkim.amazonses.com`),
    ),
  };
}

export type Email = NonNullable<ReturnType<typeof createEmail>>;
