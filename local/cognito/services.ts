import type { Config } from "cognito-local/lib/server/config.js";
import { CognitoServiceFactoryImpl } from "cognito-local/lib/services/cognitoService.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { CryptoService } from "cognito-local/lib/services/crypto.js";
import type { DataStore } from "cognito-local/lib/services/dataStore/dataStore.js";
import type { DataStoreFactory } from "cognito-local/lib/services/dataStore/factory.js";
import { StormDBDataStoreFactory } from "cognito-local/lib/services/dataStore/stormDb.js";
import { DateClock, MessagesService, TriggersService, UserPoolServiceImpl, type Services } from "cognito-local/lib/services/index.js";
import type { Lambda } from "cognito-local/lib/services/lambda.js";
import type { LogService } from "cognito-local/lib/services/LogService.js";
import { MessageDeliveryService } from "cognito-local/lib/services/messageDelivery/messageDelivery.js";
import type { MessageSender } from "cognito-local/lib/services/messageDelivery/messageSender.js";
import type { Message } from "cognito-local/lib/services/messages.js";
import { otp } from "cognito-local/lib/services/otp.js";
import type { User, UserPool, UserPoolService, UserPoolServiceFactory } from "cognito-local/lib/services/userPoolService.js";
import type { Clock } from "cognito-local/lib/services/clock.js";
import type { CognitoService } from "cognito-local/lib/services/cognitoService.js";
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

/** A message cognito-local would have e-mailed or texted; the sandbox has no mailbox, so it keeps the last few. */
export interface SentMessage {
  at: string;
  medium: "EMAIL" | "SMS";
  destination: string;
  username: string;
  code?: string;
}

export class SandboxMailbox implements MessageSender {
  private readonly messages: SentMessage[] = [];

  async sendEmail(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    this.keep("EMAIL", user, destination, message);
  }

  async sendSms(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    this.keep("SMS", user, destination, message);
  }

  list(): readonly SentMessage[] {
    return this.messages;
  }

  private keep(medium: SentMessage["medium"], user: User, destination: string, message: Message): void {
    this.messages.push({ at: new Date().toISOString(), medium, destination, username: user.Username, code: message.__code });
    if (this.messages.length > 100) this.messages.shift();
  }
}

/**
 * cognito-local only resolves sign-in aliases for `UsernameAttributes` pools; real Cognito also
 * accepts a verified email / phone number (or any preferred_username) on `AliasAttributes` pools.
 */
class AliasAwareUserPool extends UserPoolServiceImpl {
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
  ) {}

  // Same as cognito-local's UserPoolServiceFactoryImpl.create, with the alias-aware pool.
  async create(ctx: Context, clientsDataStore: DataStore, defaultOptions: UserPool): Promise<UserPoolService> {
    const dataStore = await this.dataStoreFactory.create(ctx, defaultOptions.Id, { Users: {}, Options: defaultOptions });
    // cognito-local crashes on GetGroup (and listing groups) in a pool that never had a group.
    if ((await dataStore.get(ctx, "Groups")) === null) await dataStore.set(ctx, "Groups", {});
    const options = (await dataStore.get(ctx, "Options", defaultOptions)) as UserPool;
    return new AliasAwareUserPool(clientsDataStore, this.clock, dataStore, options);
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
export async function createCognitoServices(dataDir: string, issuerDomain: string): Promise<CognitoServices> {
  const config: Config = {
    LambdaClient: {},
    TriggerFunctions: {},
    UserPoolDefaults: {},
    TokenConfig: { IssuerDomain: issuerDomain },
    ServerConfig: { development: false },
  };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDir);
  const cognito = await new CognitoServiceFactoryImpl(dataDir, dataStoreFactory, new AliasAwareUserPoolFactory(clock, dataStoreFactory)).create(
    quietContext,
    config.UserPoolDefaults,
  );
  const triggers = new TriggersService(clock, cognito, noLambdas, noKms);
  const mailbox = new SandboxMailbox();
  const tokens = new TokenIssuer(issuerDomain);
  const services: Services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(mailbox)),
    otp,
    tokenGenerator: tokens,
    triggers,
  };
  return { services, tokens, mailbox };
}
