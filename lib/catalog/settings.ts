import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** public: everyone · signed-in: any signed-in user · group:<name>: members of that Cognito group · team:<slug>: members of that team (lib/teams). */
export const visibilitySchema = z.union([
  z.literal("public"),
  z.literal("signed-in"),
  z.string().regex(/^(group:[\w+=,.@-]+|team:[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)$/, "must be public, signed-in, group:<name> or team:<slug>"),
]);

/** The owner's catalog folder (PORTICO_CATALOG_DIR points elsewhere, e.g. in tests). */
// turbopackIgnore: the folder is shipped by outputFileTracingIncludes; don't trace the whole project.
export const CATALOG_DIR = path.resolve(/* turbopackIgnore: true */ process.env.PORTICO_CATALOG_DIR ?? path.join(/* turbopackIgnore: true */ process.cwd(), "catalog"));

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #3b5bdb");

const settingsSchema = z.object({
  name: z.string().min(1).max(60),
  tagline: z.string().max(200).optional(),
  /** An SVG or PNG file in catalog/, shown in the header. */
  logo: z.string().regex(/^[\w./-]+\.(svg|png)$/, "must be a .svg or .png file in catalog/").optional(),
  colors: z.object({ brand: hexColour.default("#3b5bdb") }).default({ brand: "#3b5bdb" }),
  footer: z
    .object({
      text: z.string().max(300).optional(),
      links: z.array(z.object({ label: z.string().min(1), href: z.string().regex(/^(https:\/\/|\/|mailto:)/, "must be https://, / or mailto:") })).default([]),
    })
    .default({ links: [] }),
  /** Usage plans found in API Gateway that catalog/products/ doesn't describe. */
  discovery: z
    .object({
      enabled: z.boolean().default(true),
      /** Only plans carrying this tag: `key` or `key=value`. */
      tag: z.string().regex(/^[\w.:/+@-]+(=[\w.:/+@ -]*)?$/, "must be key or key=value").optional(),
      visibility: visibilitySchema.default("public"),
    })
    .default({ enabled: true, visibility: "public" }),
  /** What each developer may hold. */
  keys: z.object({ maxPerUser: z.number().int().min(1).max(50).default(5) }).default({ maxPerUser: 5 }),
  /**
   * What the portal tells developers about on its own: `unusedKeyDays` idle days before a key is
   * reported unused (0: never); `emailsPerSecond`, the pace the notifier sends email at — keep it
   * under the SES account's maximum send rate (a new production account gets 14).
   */
  notifications: z
    .object({ unusedKeyDays: z.number().int().min(0).max(365).default(30), emailsPerSecond: z.number().min(0.1).max(1_000).default(10) })
    .default({ unusedKeyDays: 30, emailsPerSecond: 10 }),
  /**
   * The portal's own API for scripts and agents (/api/v1, portal tokens), documented beside the
   * owner's APIs from this OpenAPI file in catalog/. Leave it out to keep it out of the docs (the
   * API itself still answers).
   */
  developerApi: z
    .object({
      spec: z.string().regex(/^[\w./-]+\.(ya?ml|json)$/, "must be a .yaml, .yml or .json file in catalog/").refine((f) => !f.includes(".."), "must stay inside catalog/"),
      visibility: visibilitySchema.default("public"),
    })
    .optional(),
  /** How often plan terms and exported specs are re-read from API Gateway. */
  refreshMinutes: z.number().int().min(1).max(1440).default(15),
});

export type PortalSettings = z.infer<typeof settingsSchema> & { homeMarkdown: string };

export class CatalogError extends Error {
  constructor(file: string, problems: string[]) {
    super(`catalog/${file} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CatalogError";
  }
}

function readCatalogFile(name: string): string {
  const file = path.join(CATALOG_DIR, name);
  if (!existsSync(file)) throw new CatalogError(name, ["file not found"]);
  return readFileSync(file, "utf8");
}

export function parseSettings(yamlText: string, homeMarkdown: string): PortalSettings {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (error) {
    throw new CatalogError("portal.yaml", [(error as Error).message]);
  }
  const parsed = settingsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new CatalogError("portal.yaml", parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  if (parsed.data.logo && !existsSync(path.join(CATALOG_DIR, parsed.data.logo))) {
    throw new CatalogError("portal.yaml", [`logo: ${parsed.data.logo} does not exist in catalog/`]);
  }
  if (parsed.data.developerApi && !existsSync(path.join(CATALOG_DIR, parsed.data.developerApi.spec))) {
    throw new CatalogError("portal.yaml", [`developerApi.spec: ${parsed.data.developerApi.spec} does not exist in catalog/`]);
  }
  return { ...parsed.data, homeMarkdown };
}

let cached: PortalSettings | undefined;

/** The owner's branding: catalog/portal.yaml and catalog/home.md (read once per server). */
export function getPortalSettings(): PortalSettings {
  cached ??= parseSettings(readCatalogFile("portal.yaml"), readCatalogFile("home.md"));
  return cached;
}

export function readLogo(settings: PortalSettings): { body: Buffer; contentType: string } | undefined {
  if (!settings.logo) return undefined;
  return { body: readFileSync(path.join(CATALOG_DIR, settings.logo)), contentType: settings.logo.endsWith(".svg") ? "image/svg+xml" : "image/png" };
}
