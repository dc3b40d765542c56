import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";

/** signatureVersion: the SignatureVersion topic attribute; unset means SNS's default, 1 (SHA1withRSA). */
const topicSchema = z.object({ arn: z.string(), name: z.string(), createdAt: z.string(), signatureVersion: z.enum(["1", "2"]).optional() });
const subscriptionSchema = z.object({
  arn: z.string(),
  topicArn: z.string(),
  protocol: z.enum(["lambda", "http", "https"]),
  endpoint: z.string(),
});
const stateSchema = z.object({ topics: z.array(topicSchema), subscriptions: z.array(subscriptionSchema) });

export type Topic = z.infer<typeof topicSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;

/** Topics and subscriptions, written through to one JSON file so restarts keep them. */
export class SnsStore {
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(
    private readonly file: string,
    log: (message: string) => void,
  ) {
    if (!existsSync(file)) return;
    const parsed = stateSchema.safeParse(safeJson(readFileSync(file, "utf8")));
    if (!parsed.success) {
      log(`sns: ignoring unreadable state in ${file}`);
      return;
    }
    for (const topic of parsed.data.topics) this.topics.set(topic.arn, topic);
    for (const subscription of parsed.data.subscriptions) this.subscriptions.set(subscription.arn, subscription);
  }

  topic(arn: string): Topic | undefined {
    return this.topics.get(arn);
  }

  listTopics(): Topic[] {
    return [...this.topics.values()];
  }

  /** Idempotent by name, like CreateTopic. */
  createTopic(arn: string, name: string, signatureVersion?: Topic["signatureVersion"]): Topic {
    const existing = this.topics.get(arn);
    if (existing) return existing;
    const topic = { arn, name, createdAt: new Date().toISOString(), ...(signatureVersion ? { signatureVersion } : {}) };
    this.topics.set(arn, topic);
    this.save();
    return topic;
  }

  setSignatureVersion(arn: string, signatureVersion: NonNullable<Topic["signatureVersion"]>): void {
    const topic = this.topics.get(arn);
    if (!topic) return;
    this.topics.set(arn, { ...topic, signatureVersion });
    this.save();
  }

  /** Deleting a topic drops its subscriptions; deleting a missing topic is not an error. */
  deleteTopic(arn: string): void {
    if (!this.topics.delete(arn)) return;
    for (const subscription of this.subscriptions.values()) if (subscription.topicArn === arn) this.subscriptions.delete(subscription.arn);
    this.save();
  }

  subscription(arn: string): Subscription | undefined {
    return this.subscriptions.get(arn);
  }

  subscriptionsOf(topicArn: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.topicArn === topicArn);
  }

  /** The same protocol + endpoint on a topic yields the same subscription, like SNS. */
  subscribe(topicArn: string, protocol: Subscription["protocol"], endpoint: string): Subscription {
    const existing = this.subscriptionsOf(topicArn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing) return existing;
    const subscription = { arn: `${topicArn}:${crypto.randomUUID()}`, topicArn, protocol, endpoint };
    this.subscriptions.set(subscription.arn, subscription);
    this.save();
    return subscription;
  }

  unsubscribe(arn: string): boolean {
    const removed = this.subscriptions.delete(arn);
    if (removed) this.save();
    return removed;
  }

  private save(): void {
    const state: z.infer<typeof stateSchema> = { topics: [...this.topics.values()], subscriptions: [...this.subscriptions.values()] };
    // Write then rename so a crash never leaves half a file behind.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
