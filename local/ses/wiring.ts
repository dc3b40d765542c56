import {
  AlreadyExistsException,
  CreateConfigurationSetCommand,
  CreateConfigurationSetEventDestinationCommand,
  SESv2Client,
  UpdateConfigurationSetEventDestinationCommand,
  type EventDestinationDefinition,
} from "@aws-sdk/client-sesv2";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { SANDBOX_CREDENTIALS, type SandboxContext } from "../context";
import { functionExists, setFunctionEnvironment } from "../functions";
import { authSecret, SANDBOX_EMAIL_FROM } from "../settings";

export { SANDBOX_EMAIL_FROM };

/** The configuration set the notifier's mail names, as infra/email.ts creates one per stage. */
export const SANDBOX_CONFIGURATION_SET = "portico-notices";
/** Its SNS event destination and topic, for bounces and complaints. */
export const FEEDBACK_DESTINATION = "bounces-and-complaints";
export const FEEDBACK_TOPIC = "portico-ses-feedback";
/** `functions/ses-feedback.ts`: what infra/email.ts deploys as SesFeedback. */
export const FEEDBACK_FUNCTION = "ses-feedback";

/**
 * What infra/email.ts and infra/jobs.ts do in AWS, for the sandbox: a configuration set whose
 * bounce and complaint events go to an SNS topic, the feedback function subscribed to it (with
 * the table, the one topic it trusts, and the sandbox as its SNS endpoint, whose certificates it
 * then trusts), and the notifier's environment: the table, the portal's address and link-signing
 * secret (unsubscribe links), the sender and the configuration set — and, here only, webhook
 * endpoints on this machine. Idempotent: a restart with kept state adds nothing.
 */
export async function wireNotifier(ctx: SandboxContext, input: { table: string; portalUrl: string }): Promise<{ configurationSet: string; topicArn: string }> {
  const config = { endpoint: ctx.url, region: ctx.region, credentials: SANDBOX_CREDENTIALS };
  const sns = new SNSClient(config);
  const ses = new SESv2Client(config);
  let topicArn: string;
  try {
    const created = await sns.send(new CreateTopicCommand({ Name: FEEDBACK_TOPIC }));
    if (!created.TopicArn) throw new Error(`CreateTopic ${FEEDBACK_TOPIC} returned no TopicArn`);
    topicArn = created.TopicArn;
    if (functionExists(ctx, FEEDBACK_FUNCTION)) {
      const endpoint = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${FEEDBACK_FUNCTION}`;
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: endpoint }));
    }
    await ignoreExisting(ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: SANDBOX_CONFIGURATION_SET })));
    const destination: EventDestinationDefinition = { Enabled: true, MatchingEventTypes: ["BOUNCE", "COMPLAINT"], SnsDestination: { TopicArn: topicArn } };
    const created2 = await ignoreExisting(
      ses.send(
        new CreateConfigurationSetEventDestinationCommand({
          ConfigurationSetName: SANDBOX_CONFIGURATION_SET,
          EventDestinationName: FEEDBACK_DESTINATION,
          EventDestination: destination,
        }),
      ),
    );
    // Kept state from an older sandbox: make the destination what it should be now.
    if (!created2) {
      await ses.send(
        new UpdateConfigurationSetEventDestinationCommand({
          ConfigurationSetName: SANDBOX_CONFIGURATION_SET,
          EventDestinationName: FEEDBACK_DESTINATION,
          EventDestination: destination,
        }),
      );
    }
  } finally {
    sns.destroy();
    ses.destroy();
  }
  setFunctionEnvironment(ctx, FEEDBACK_FUNCTION, { PORTICO_TABLE: input.table, SES_FEEDBACK_TOPIC_ARN: topicArn, AWS_ENDPOINT_URL_SNS: ctx.url });
  setFunctionEnvironment(ctx, "notifier", {
    PORTICO_TABLE: input.table,
    AUTH_URL: input.portalUrl,
    AUTH_SECRET: authSecret(ctx.stateDir),
    PORTICO_EMAIL_FROM: SANDBOX_EMAIL_FROM,
    PORTICO_SES_CONFIGURATION_SET: SANDBOX_CONFIGURATION_SET,
    PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1",
  });
  return { configurationSet: SANDBOX_CONFIGURATION_SET, topicArn };
}

/** True when the write created something, false when it existed already. */
async function ignoreExisting(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof AlreadyExistsException || (error as Error).name === "AlreadyExistsException") return false;
    throw error;
  }
}
