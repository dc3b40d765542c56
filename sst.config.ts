// Portico on AWS: `npx sst deploy --stage <name>`. Per-stage settings live in infra/stages.ts and
// are explained in the README's "Deploy to AWS"; types come from tsconfig.infra.json.
// SST forbids top-level imports here: everything is imported inside app() and run().

export default $config({
  async app(input) {
    const { appSettings } = await import("./infra/lib/settings");
    const { stages } = await import("./infra/stages");
    const { region, retainData } = appSettings(input.stage, stages);
    return {
      name: "portico",
      home: "aws",
      removal: retainData ? "retain" : "remove",
      providers: { aws: { region } },
    };
  },
  async run() {
    const { settingsFor, SettingsError } = await import("./infra/lib/settings");
    const { stages } = await import("./infra/stages");
    const { createStorage } = await import("./infra/storage");
    const { createRouter, createSite } = await import("./infra/web");
    const { createAuth } = await import("./infra/auth");
    const { createMarketplace } = await import("./infra/marketplace");
    const { createJobs } = await import("./infra/jobs");
    const { createEmail } = await import("./infra/email");
    const { createAuditArchive } = await import("./infra/audit");

    let settings;
    try {
      settings = settingsFor($app.stage, stages);
    } catch (error) {
      // The SST CLI prints errors of a class named VisibleError as they are, others as "Unexpected error".
      class VisibleError extends Error {}
      throw error instanceof SettingsError ? new VisibleError(error.message) : error;
    }
    const { accountId } = await aws.getCallerIdentity({});
    const { partition } = await aws.getPartition({});
    const scope = { partition, region: settings.region, accountId };

    const storage = createStorage(settings);
    const router = createRouter(settings);
    const auth = createAuth(settings, { accountId, siteUrl: router.url });
    createSite(settings, { router, storage, auth, scope });
    createMarketplace(settings, { storage, scope });
    const email = createEmail(settings, { storage, scope });
    createJobs(settings, { storage, scope, siteUrl: router.url, email });
    const audit = createAuditArchive(settings, { storage, scope });

    return {
      url: router.url,
      marketplaceFulfillmentUrl: $interpolate`${router.url}/marketplace/confirm`,
      signIn: auth.loginUrl,
      userPool: auth.pool.id,
      table: storage.table.name,
      auditArchive: audit.bucket.bucket,
      // With email on: the CNAME records that verify the sending domain and sign its mail (DKIM).
      ...(email ? { emailDkimRecords: email.dkimRecords } : {}),
    };
  },
});
