import type { Config } from "cognito-local/lib/server/config.js";
import type { AppClient } from "cognito-local/lib/services/appClient.js";
import { CognitoServiceFactoryImpl } from "cognito-local/lib/services/cognitoService.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { CryptoService } from "cognito-local/lib/services/crypto.js";
import type { DataStore } from "cognito-local/lib/services/dataStore/dataStore.js";
import type { DataStoreFactory } from "cognito-local/lib/services/dataStore/factory.js";
import { StormDBDataStoreFactory } from "cognito-local/lib/services/dataStore/stormDb.js";
import { DateClock, TriggersService, UserPoolServiceImpl, type Messages, type Services } from "cognito-local/lib/services/index.js";
import type { Lambda } from "cognito-local/lib/services/lambda.js";
import type { LogService } from "cognito-local/lib/services/LogService.js";
import type { DeliveryDetails } from "cognito-local/lib/services/messageDelivery/messageDelivery.js";
import { otp } from "cognito-local/lib/services/otp.js";
import type { User, UserPool, UserPoolService, UserPoolServiceFactory } from "cognito-local/lib/services/userPoolService.js";
import type { Clock } from "cognito-local/lib/services/clock.js";
import type { CognitoService } from "cognito-local/lib/services/cognitoService.js";
import { appClientId, firstFree, userPoolId } from "./ids";
import { TokenIssuer } from "./tokens";

/** cognito-local logs whole users (passwords included) at debug level: keep it silent. */
const noop = () => {};
export const quietLogger: LogService = { child: () => quietLogger, debug: noop, info: noop, warn: noop, error: noop };
export const quietContext: Context = { logger: quietLogger };

/** The pool, or undefined when it does not exist (cognito-local's getUserPool throws synchronously). */
export async function findUserPool(cognito: CognitoService, userPoolId: string): Promise<UserPoolService | undefined> {
  try {
    return await cognito.getUserPool(quietContext, userPoolId);
  } catch {
    return undefined;
  }
}

type MessageSource = Parameters<Messages["deliver"]>[1];

/** A message Cognito would have e-mailed or texted; the sandbox sends nothing, so it keeps the last 100. */
export interface SentMessage {
  at: string;
  /** What sent it: "AdminCreateUser" for an invitation, else "SignUp", "ForgotPassword", "ResendCode"… */
  source: MessageSource;
  medium: "EMAIL" | "SMS";
  destination: string;
  userPoolId: string;
  /** The stored username (the sub on pools that sign in by email). */
  username: string;
  /** Invitations only: the temporary password the user signs in with. */
  temporaryPassword?: string;
  /** Every other message: the verification or confirmation code. */
  code?: string;
  /** E-mails only, from the pool's template or Cognito's default. */
  subject?: string;
  /** The text the user would read, placeholders filled in. */
  message: string;
}

/** Cognito's default invitation and verification texts. */
const DEFAULT_INVITE = { subject: "Your temporary password", message: "Your username is {username} and temporary password is {####}." };
const DEFAULT_CODE = { subject: "Your verification code", message: "Your verification code is {####}." };

/**
 * Stands in for cognito-local's MessagesService (the sandbox runs no CustomMessage or sender
 * triggers) and keeps each message, with its source, for GET /_sandbox/cognito/messages.
 */
export class SandboxMailbox implements Messages {
  private readonly messages: SentMessage[] = [];

  constructor(private readonly cognito: CognitoService) {}

  async deliver(
    _ctx: Context,
    source: MessageSource,
    _clientId: string | null,
    userPoolId: string,
    user: User,
    code: string,
    _clientMetadata: Record<string, string> | undefined,
    delivery: DeliveryDetails,
  ): Promise<void> {
    const options = (await findUserPool(this.cognito, userPoolId))?.options;
    const invitation = source === "AdminCreateUser";
    const email = delivery.DeliveryMedium === "EMAIL";
    const invite = options?.AdminCreateUserConfig?.InviteMessageTemplate;
    const verify = options?.VerificationMessageTemplate;
    const template = invitation
      ? { subject: invite?.EmailSubject ?? DEFAULT_INVITE.subject, message: (email ? invite?.EmailMessage : invite?.SMSMessage) ?? DEFAULT_INVITE.message }
      : { subject: verify?.EmailSubject ?? DEFAULT_CODE.subject, message: (email ? verify?.EmailMessage : verify?.SmsMessage) ?? DEFAULT_CODE.message };
    // {username} is what the user signs in with: the email or phone number on pools that use them as the username.
    const attribute = (name: string) => user.Attributes.find((a) => a.Name === name)?.Value;
    const signInName = options?.UsernameAttributes?.map(attribute).find(Boolean) ?? user.Username;
    this.messages.push({
      at: new Date().toISOString(),
      source,
      medium: delivery.DeliveryMedium,
      destination: delivery.Destination,
      userPoolId,
      username: user.Username,
      ...(invitation ? { temporaryPassword: code } : { code }),
      ...(email ? { subject: template.subject } : {}),
      // Replacer functions, so a `$` in a password is not read as a replacement pattern.
      message: template.message.replaceAll("{username}", () => signInName).replaceAll("{####}", () => code),
    });
    if (this.messages.length > 100) this.messages.shift();
  }

  list(): readonly SentMessage[] {
    return this.messages;
  }
}

/**
 * cognito-local only resolves sign-in aliases for `UsernameAttributes` pools; real Cognito also
 * accepts a verified email / phone number (or any preferred_username) on `AliasAttributes` pools.
 */
class AliasAwareUserPool extends UserPoolServiceImpl {
  constructor(
    private readonly clients: DataStore,
    clock: Clock,
    dataStore: DataStore,
    options: UserPool,
    private readonly idSeed: string,
  ) {
    super(clients, clock, dataStore, options);
  }

  /** A new client (cognito-local made up a random id) gets its derived id instead (./ids.ts), in place: the caller answers with this object. */
  async saveAppClient(ctx: Context, appClient: AppClient): Promise<void> {
    if ((await this.clients.get(ctx, ["Clients", appClient.ClientId])) === null) {
      const existing = (await this.clients.get<Record<string, AppClient>>(ctx, "Clients")) ?? {};
      appClient.ClientId = firstFree(
        (ordinal) => appClientId(this.idSeed, this.options.Id, appClient.ClientName ?? "", ordinal),
        (id) => id in existing,
      );
    }
    await super.saveAppClient(ctx, appClient);
  }

  async getUserByUsername(ctx: Context, username: string): Promise<User | null> {
    const user = await super.getUserByUsername(ctx, username);
    const aliases = this.options.AliasAttributes ?? [];
    if (user || aliases.length === 0) return user;
    const wanted = username.toLowerCase();
    const users = await this.listUsers(ctx);
    return (
      users.find((candidate) =>
        aliases.some((alias) => {
          const value = candidate.Attributes.find((a) => a.Name === alias)?.Value;
          const verified = alias === "preferred_username" || candidate.Attributes.some((a) => a.Name === `${alias}_verified` && a.Value === "true");
          return verified && value !== undefined && value.toLowerCase() === wanted;
        }),
      ) ?? null
    );
  }
}

class AliasAwareUserPoolFactory implements UserPoolServiceFactory {
  constructor(
    private readonly clock: Clock,
    private readonly dataStoreFactory: DataStoreFactory,
    private readonly idSeed: string,
  ) {}

  // Same as cognito-local's UserPoolServiceFactoryImpl.create, with the alias-aware pool.
  async create(ctx: Context, clientsDataStore: DataStore, defaultOptions: UserPool): Promise<UserPoolService> {
    const dataStore = await this.dataStoreFactory.create(ctx, defaultOptions.Id, { Users: {}, Options: defaultOptions });
    // cognito-local crashes on GetGroup (and listing groups) in a pool that never had a group.
    if ((await dataStore.get(ctx, "Groups")) === null) await dataStore.set(ctx, "Groups", {});
    const options = (await dataStore.get(ctx, "Options", defaultOptions)) as UserPool;
    return new AliasAwareUserPool(clientsDataStore, this.clock, dataStore, options, this.idSeed);
  }
}

// The sandbox runs no Lambda triggers (nor KMS for the custom sender trigger).
const noLambdas: Lambda = {
  enabled: () => false,
  invoke: () => Promise.reject(new Error("Lambda triggers are not supported by the sandbox")),
};
const noKms = { encrypt: () => Promise.reject(new Error("KMS is not supported by the sandbox")) } as unknown as CryptoService;

export interface CognitoServices {
  services: Services;
  tokens: TokenIssuer;
  mailbox: SandboxMailbox;
}

/**
 * cognito-local's services as `createDefaultServer` builds them, but with state under `dataDir`,
 * the issuer on the edge URL, no console output, and plain-username pools by default (as in AWS).
 */
export async function createCognitoServices(
  dataDir: string,
  issuerDomain: string,
  ids: { seed: string; region: string; accountId: string },
): Promise<CognitoServices> {
  const config: Config = {
    LambdaClient: {},
    TriggerFunctions: {},
    UserPoolDefaults: {},
    TokenConfig: { IssuerDomain: issuerDomain },
    ServerConfig: { development: false },
  };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDir);
  const cognito = await new CognitoServiceFactoryImpl(dataDir, dataStoreFactory, new AliasAwareUserPoolFactory(clock, dataStoreFactory, ids.seed)).create(
    quietContext,
    config.UserPoolDefaults,
  );
  // A new pool gets its derived id (./ids.ts) instead of the random one cognito-local made up.
  const createUserPool = cognito.createUserPool.bind(cognito);
  cognito.createUserPool = async (ctx, pool) => {
    const taken = new Set((await cognito.listUserPools(ctx)).map((p) => p.Id));
    const Id = firstFree(
      (ordinal) => userPoolId(ids.seed, ids.region, pool.Name ?? "", ordinal),
      (id) => taken.has(id),
    );
    return createUserPool(ctx, { ...pool, Id, Arn: `arn:aws:cognito-idp:${ids.region}:${ids.accountId}:userpool/${Id}` });
  };
  const triggers = new TriggersService(clock, cognito, noLambdas, noKms);
  const mailbox = new SandboxMailbox(cognito);
  const tokens = new TokenIssuer(issuerDomain);
  const services: Services = {
    clock,
    cognito,
    config,
    messages: mailbox,
    otp,
    tokenGenerator: tokens,
    triggers,
  };
  return { services, tokens, mailbox };
}
