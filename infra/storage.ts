import type { StageSettings } from "./lib/settings";
import { tableOptions } from "./lib/table";

/** The portal's DynamoDB table (Auth.js rows and portal rows) and the Auth.js secret. */
export function createStorage(settings: StageSettings) {
  const table = new sst.aws.Dynamo("Table", {
    ...tableOptions(),
    deletionProtection: settings.retainData,
  });
  // `npx sst secret set AuthSecret "$(openssl rand -base64 32)" --stage <stage>` before the first deploy.
  const authSecret = new sst.Secret("AuthSecret");
  return { table, authSecret };
}

export type Storage = ReturnType<typeof createStorage>;
