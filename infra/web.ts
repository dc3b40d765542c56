import { MARKDOWN_KEY_INJECTION } from "../lib/cloudfront/docs-cache";
import { VIEWER_IP_HEADER } from "../lib/limits/client-ip";
import type { Auth } from "./auth";
import { docsCacheBehaviours, docsCachePolicy } from "./lib/docs-cache";
import { NODE_RUNTIME, OPEN_NEXT_VERSION } from "./lib/versions";
import { webEnvironment } from "./lib/environment";
import { webStatements, type AccountScope } from "./lib/iam";
import type { StageSettings } from "./lib/settings";
import { INDEX_NAMES } from "./lib/table";
import { wafRules } from "./lib/waf";
import type { Storage } from "./storage";

/**
 * Code run at the start of the CloudFront Function on every viewer request (SST's Router
 * `edge.viewerRequest.injection`): the viewer's address as CloudFront saw it, in the header the
 * portal's per-IP limits read (lib/limits/client-ip.ts `clientIp`). It replaces whatever a client sent
 * under that name, and origin protection keeps anyone from reaching the site around CloudFront.
 */
export const VIEWER_IP_INJECTION = `event.request.headers[${JSON.stringify(VIEWER_IP_HEADER)}] = { value: event.viewer.ip };`;

/** Everything the viewer-request function adds: the viewer's address, and the docs cache key's Accept flag. */
export const VIEWER_REQUEST_INJECTION = `${VIEWER_IP_INJECTION}\n${MARKDOWN_KEY_INJECTION}`;

/**
 * The CloudFront front door, created before the site so that its URL (custom domain or
 * *.cloudfront.net) can go into the Cognito client and AUTH_URL without a dependency cycle.
 * The WAF web ACL (us-east-1, as CloudFront requires) is attached to its distribution, and
 * origin protection keeps the site's function URLs from being called around it.
 */
export function createRouter(settings: StageSettings) {
  const domain = settings.domain;
  return new sst.aws.Router("Web", {
    domain: domain && {
      name: domain.name,
      redirects: domain.redirects,
      // With a certificate the DNS lives elsewhere: point a CNAME at the distribution yourself.
      ...(domain.cert ? { cert: domain.cert, dns: false as const } : {}),
    },
    waf: settings.waf.enabled,
    // Plain "oac" would need browsers to sign POST bodies; edge signing does it for them (bodies ≤ 1 MB).
    protection: settings.protectOrigin ? "oac-with-edge-signing" : "none",
    edge: { viewerRequest: { injection: VIEWER_REQUEST_INJECTION } },
    transform: {
      waf: { rules: wafRules(settings.waf, `${$app.name}-${$app.stage}`) },
      // The docs pages' own behaviours, so anonymous readers share CloudFront's copies (infra/lib/docs-cache.ts).
      cdn: (args) => {
        const policy = new aws.cloudfront.CachePolicy("WebDocsCachePolicy", docsCachePolicy());
        args.orderedCacheBehaviors = $resolve({ behaviour: args.defaultCacheBehavior, policyId: policy.id }).apply(({ behaviour, policyId }) =>
          docsCacheBehaviours(behaviour, policyId),
        );
      },
    },
  });
}

export function createSite(
  settings: StageSettings,
  resources: { router: sst.aws.Router; storage: Storage; auth: Auth; scope: AccountScope & { accountId: string } },
) {
  const { router, storage, auth, scope } = resources;
  // Not `link`: SST's links grant `dynamodb:*` / `cognito-idp:*` on the resource. The app reads
  // its settings from the environment (lib/config.ts), and the statements below are narrower.
  return new sst.aws.Nextjs("Portal", {
    openNextVersion: OPEN_NEXT_VERSION,
    server: { runtime: NODE_RUNTIME },
    router: { instance: router },
    environment: $resolve({
      tableName: storage.table.name,
      authSecret: storage.authSecret.value,
      siteUrl: router.url,
      userPoolId: auth.pool.id,
      clientId: auth.client.id,
      clientSecret: auth.client.clientSecret,
      distributionId: router.distributionID,
    }).apply((v) =>
      webEnvironment({
        ...v,
        region: scope.region,
        loginUrl: auth.loginUrl,
        selfSignUp: settings.auth.selfSignUp,
        limits: settings.limits,
        ...(settings.email ? { emailFrom: settings.email.from } : {}),
      }),
    ),
    permissions: $resolve([storage.table.arn, auth.pool.arn, router.distributionID]).apply(([tableArn, userPoolArn, distributionId]) =>
      webStatements({
        scope,
        tableArn,
        indexNames: INDEX_NAMES,
        userPoolArn,
        distributionArn: `arn:${scope.partition}:cloudfront::${scope.accountId}:distribution/${distributionId}`,
        marketplace: settings.marketplaceEnabled,
      }),
    ),
  });
}
