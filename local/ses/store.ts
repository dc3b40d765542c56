import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";

/** Messages and events the sandbox keeps (newest last on disk, newest first when read). */
export const KEPT_MESSAGES = 500;
export const KEPT_EVENTS = 500;
/** Writes are coalesced: a burst of sends (the notifications bench) rewrites the file once, not per message. */
const SAVE_DELAY_MS = 100;

const header = z.object({ name: z.string(), value: z.string() });
const outcome = z.enum(["delivered", "bounced", "complained", "suppressed"]);

const messageSchema = z.object({
  messageId: z.string(),
  timestamp: z.string(),
  from: z.string(),
  replyTo: z.array(z.string()),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  text: z.string().optional(),
  html: z.string().optional(),
  /** Every header of the message as sent: the ones SES writes (From, To, Subject, Date…) and the request's own. */
  headers: z.array(header),
  configurationSet: z.string().optional(),
  tags: z.array(header),
  /** What became of each recipient (by addr-spec): delivered, or bounced, complained about or suppressed. */
  outcomes: z.record(z.string(), outcome),
});

const suppressedSchema = z.object({
  address: z.string(),
  reason: z.enum(["BOUNCE", "COMPLAINT"]),
  lastUpdateTime: z.string(),
  messageId: z.string().optional(),
  feedbackId: z.string().optional(),
});

export const EVENT_TYPES = [
  "SEND",
  "REJECT",
  "BOUNCE",
  "COMPLAINT",
  "DELIVERY",
  "OPEN",
  "CLICK",
  "RENDERING_FAILURE",
  "DELIVERY_DELAY",
  "SUBSCRIPTION",
] as const;

const destinationSchema = z.object({
  name: z.string(),
  enabled: z.boolean(),
  matchingEventTypes: z.array(z.enum(EVENT_TYPES)),
  snsTopicArn: z.string().optional(),
});

const configurationSetSchema = z.object({ name: z.string(), createdAt: z.string(), eventDestinations: z.array(destinationSchema) });

const eventSchema = z.object({
  id: z.string(),
  eventType: z.string(),
  timestamp: z.string(),
  messageId: z.string(),
  configurationSet: z.string().optional(),
  /** The SNS topics it was published to (none without a matching event destination). */
  publishedTo: z.array(z.string()),
  /** The record as SES publishes it: `{ eventType, mail, bounce | complaint | delivery | send }`. */
  record: z.record(z.string(), z.unknown()),
});

const stateSchema = z.object({
  messages: z.array(messageSchema),
  events: z.array(eventSchema),
  suppressed: z.array(suppressedSchema),
  configurationSets: z.array(configurationSetSchema),
});

export type StoredMessage = z.infer<typeof messageSchema>;
export type Outcome = z.infer<typeof outcome>;
export type SuppressedDestination = z.infer<typeof suppressedSchema>;
export type ConfigurationSet = z.infer<typeof configurationSetSchema>;
export type EventDestination = z.infer<typeof destinationSchema>;
export type StoredEvent = z.infer<typeof eventSchema>;

/** SES's state in one JSON file under the sandbox's state dir, so a restart keeps the mailbox. */
export class SesStore {
  private messages: StoredMessage[] = [];
  private events: StoredEvent[] = [];
  private readonly suppressed = new Map<string, SuppressedDestination>();
  private readonly configurationSets = new Map<string, ConfigurationSet>();
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly file: string,
    log: (message: string) => void,
  ) {
    if (!existsSync(file)) return;
    const parsed = stateSchema.safeParse(safeJson(readFileSync(file, "utf8")));
    if (!parsed.success) {
      log(`ses: ignoring unreadable state in ${file}`);
      return;
    }
    this.messages = parsed.data.messages.slice(-KEPT_MESSAGES);
    this.events = parsed.data.events.slice(-KEPT_EVENTS);
    for (const s of parsed.data.suppressed) this.suppressed.set(s.address, s);
    for (const c of parsed.data.configurationSets) this.configurationSets.set(c.name, c);
  }

  addMessage(message: StoredMessage): void {
    this.messages.push(message);
    if (this.messages.length > KEPT_MESSAGES) this.messages.splice(0, this.messages.length - KEPT_MESSAGES);
    this.scheduleSave();
  }

  /** Newest first; `to` matches any recipient (To, Cc or Bcc), case-insensitively. */
  listMessages(to?: string): StoredMessage[] {
    const wanted = to?.trim().toLowerCase();
    const all = [...this.messages].reverse();
    return wanted ? all.filter((m) => Object.keys(m.outcomes).some((address) => address.toLowerCase() === wanted)) : all;
  }

  addEvent(event: StoredEvent): void {
    this.events.push(event);
    if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
    this.scheduleSave();
  }

  listEvents(): StoredEvent[] {
    return [...this.events].reverse();
  }

  suppression(address: string): SuppressedDestination | undefined {
    return this.suppressed.get(address.toLowerCase());
  }

  listSuppressed(): SuppressedDestination[] {
    return [...this.suppressed.values()];
  }

  suppress(entry: SuppressedDestination): void {
    this.suppressed.set(entry.address.toLowerCase(), { ...entry, address: entry.address.toLowerCase() });
    this.scheduleSave();
  }

  unsuppress(address: string): boolean {
    const removed = this.suppressed.delete(address.toLowerCase());
    if (removed) this.scheduleSave();
    return removed;
  }

  configurationSet(name: string): ConfigurationSet | undefined {
    return this.configurationSets.get(name);
  }

  listConfigurationSets(): ConfigurationSet[] {
    return [...this.configurationSets.values()];
  }

  putConfigurationSet(set: ConfigurationSet): void {
    this.configurationSets.set(set.name, set);
    this.scheduleSave();
  }

  deleteConfigurationSet(name: string): boolean {
    const removed = this.configurationSets.delete(name);
    if (removed) this.scheduleSave();
    return removed;
  }

  /** Clears the mailbox and the events (not the suppression list or configuration sets). */
  clearMailbox(): void {
    this.messages = [];
    this.events = [];
    this.scheduleSave();
  }

  /** Writes what is pending now (on close). */
  flush(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.save();
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  private save(): void {
    const state: z.infer<typeof stateSchema> = {
      messages: this.messages,
      events: this.events,
      suppressed: [...this.suppressed.values()],
      configurationSets: [...this.configurationSets.values()],
    };
    // Write then rename so a crash never leaves half a file behind.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(state));
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
