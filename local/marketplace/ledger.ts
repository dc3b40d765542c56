import { createHash, randomBytes, randomInt } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";

/** AWS Marketplace registration tokens are valid for 4 hours. */
export const TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1000;
// Keep expired tokens a while so they answer ExpiredTokenException rather than InvalidTokenException.
const TOKEN_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

const customerSchema = z.object({
  productCode: z.string(),
  customerIdentifier: z.string(),
  customerAWSAccountId: z.string(),
  licenseArn: z.string(),
  offerIdentifier: z.string(),
  /** How the latest purchase was made: legacy answers fill CustomerIdentifier. */
  legacy: z.boolean(),
  freeTrial: z.boolean(),
  createdAt: z.string(),
});
const tokenSchema = customerSchema
  .pick({ productCode: true, customerIdentifier: true, customerAWSAccountId: true, licenseArn: true, legacy: true, freeTrial: true })
  .extend({
    mintedAt: z.string(),
  });
const stateSchema = z.object({
  customers: z.array(customerSchema),
  /** Keyed by the token's SHA-256, so the state file never holds a usable token. */
  tokens: z.record(z.string(), tokenSchema),
});

export type Customer = z.infer<typeof customerSchema>;
export type TokenRecord = z.infer<typeof tokenSchema>;
export type Resolution = { status: "ok"; record: TokenRecord } | { status: "invalid" } | { status: "expired" };

export interface MintInput {
  productCode: string;
  customerAWSAccountId?: string;
  legacy: boolean;
  freeTrial: boolean;
  /** Backdates the token (tests of expiry); defaults to now. */
  issuedAt?: Date;
}

/** Tokens the sandbox "buyer" minted and the customers they stand for, persisted to one JSON file. */
export class Ledger {
  private readonly customers = new Map<string, Customer>();
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(
    private readonly file: string,
    log: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    if (!existsSync(file)) return;
    const parsed = stateSchema.safeParse(safeJson(readFileSync(file, "utf8")));
    if (!parsed.success) {
      log(`marketplace: ignoring unreadable state in ${file}`);
      return;
    }
    for (const customer of parsed.data.customers) this.customers.set(customerKey(customer), customer);
    for (const [hash, record] of Object.entries(parsed.data.tokens)) this.tokens.set(hash, record);
  }

  listCustomers(): Customer[] {
    return [...this.customers.values()];
  }

  findCustomer(productCode: string, customerIdentifier: string): Customer | undefined {
    return this.listCustomers().find((c) => c.productCode === productCode && c.customerIdentifier === customerIdentifier);
  }

  findByAccount(productCode: string, customerAWSAccountId: string): Customer | undefined {
    return this.customers.get(customerKey({ productCode, customerAWSAccountId }));
  }

  /** A buyer account keeps one customer identity per product across purchases, as on AWS. */
  mint(input: MintInput): { token: string; customer: Customer } {
    const accountId = input.customerAWSAccountId ?? String(randomInt(100_000_000_000, 999_999_999_999));
    const key = customerKey({ productCode: input.productCode, customerAWSAccountId: accountId });
    const previous = this.customers.get(key);
    const customer: Customer = {
      productCode: input.productCode,
      customerIdentifier: previous?.customerIdentifier ?? randomIdentifier(),
      customerAWSAccountId: accountId,
      licenseArn: previous?.licenseArn ?? `arn:aws:license-manager::${accountId}:license:l-${randomBytes(16).toString("hex")}`,
      offerIdentifier: previous?.offerIdentifier ?? `offer-${randomBytes(8).toString("hex")}`,
      legacy: input.legacy,
      freeTrial: input.freeTrial,
      createdAt: previous?.createdAt ?? new Date(this.now()).toISOString(),
    };
    this.customers.set(key, customer);

    // Real tokens are long base64 strings ('+', '/' and '=' included), so form decoding matters.
    const token = randomBytes(120).toString("base64");
    const { productCode, customerIdentifier, customerAWSAccountId, licenseArn, legacy, freeTrial } = customer;
    const mintedAt = (input.issuedAt ?? new Date(this.now())).toISOString();
    this.tokens.set(hashToken(token), { productCode, customerIdentifier, customerAWSAccountId, licenseArn, legacy, freeTrial, mintedAt });
    this.prune();
    this.save();
    return { token, customer };
  }

  resolve(token: string): Resolution {
    const record = this.tokens.get(hashToken(token));
    if (!record) return { status: "invalid" };
    if (this.now() - Date.parse(record.mintedAt) > TOKEN_LIFETIME_MS) return { status: "expired" };
    return { status: "ok", record };
  }

  private prune(): void {
    for (const [hash, record] of this.tokens) if (this.now() - Date.parse(record.mintedAt) > TOKEN_RETENTION_MS) this.tokens.delete(hash);
  }

  private save(): void {
    const state: z.infer<typeof stateSchema> = { customers: this.listCustomers(), tokens: Object.fromEntries(this.tokens) };
    writeFileSync(`${this.file}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

function customerKey(c: Pick<Customer, "productCode" | "customerAWSAccountId">): string {
  return `${c.productCode}/${c.customerAWSAccountId}`;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Shaped like real customer identifiers (e.g. `X01EXAMPLEX`): 11 letters and digits. */
function randomIdentifier(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 11 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
