import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CatalogError, CATALOG_DIR, visibilitySchema } from "./settings";

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and dashes");
const catalogFile = (kinds: RegExp, what: string) => z.string().regex(kinds, `must be ${what} inside catalog/`).refine((f) => !f.includes(".."), "must stay inside catalog/");

export { visibilitySchema };
export type Visibility = z.infer<typeof visibilitySchema>;

const productApiSchema = z.object({
  /** The REST API in API Gateway, by id or name. */
  api: z.string().min(1),
  stage: z.string().min(1),
  name: z.string().min(1).optional(),
  slug: slug.optional(),
  image: catalogFile(/\.(svg|png|jpe?g|webp)$/, "an image file").optional(),
  /** The OpenAPI file in catalog/; without it the spec is exported from API Gateway. */
  spec: catalogFile(/\.(ya?ml|json)$/, "a .yaml, .yml or .json file").optional(),
});

const productSchema = z.object({
  name: z.string().min(1).max(80),
  /** The usage plan, by id or name. */
  usagePlan: z.string().min(1),
  summary: z.string().max(300).optional(),
  description: z.string().optional(),
  visibility: visibilitySchema.default("public"),
  approvalRequired: z.boolean().default(false),
  order: z.number().int().default(100),
  apis: z.array(productApiSchema).default([]),
});

const guideMetaSchema = z.object({
  title: z.string().min(1),
  summary: z.string().optional(),
  order: z.number().int().default(100),
  visibility: visibilitySchema.default("public"),
});

export type ProductFile = z.infer<typeof productSchema> & { slug: string; file: string };
export type ProductApiFile = z.infer<typeof productApiSchema>;
export type GuideFile = z.infer<typeof guideMetaSchema> & { slug: string; file: string; markdown: string };

export interface CatalogFiles {
  dir: string;
  products: ProductFile[];
  guides: GuideFile[];
}

function issues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}

function listFiles(dir: string, pattern: RegExp): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort() : [];
}

function parseYamlFile(relative: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new CatalogError(relative, [(error as Error).message.split("\n")[0]!]);
  }
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * Reads and validates the owner's catalog/ files: products/*.yaml and guides/*.md.
 * Every problem names the file and the field, and fails the build (next.config.ts).
 */
export function loadCatalogFiles(dir = CATALOG_DIR): CatalogFiles {
  const products = listFiles(path.join(dir, "products"), /\.ya?ml$/).map((name) => {
    const relative = `products/${name}`;
    const parsed = productSchema.safeParse(parseYamlFile(relative, readFileSync(path.join(dir, relative), "utf8")) ?? {});
    if (!parsed.success) throw new CatalogError(relative, issues(parsed.error));
    const problems: string[] = [];
    parsed.data.apis.forEach((api, i) => {
      for (const field of ["spec", "image"] as const) {
        const file = api[field];
        if (file && !existsSync(path.join(dir, file))) problems.push(`apis.${i}.${field}: ${file} does not exist in catalog/`);
      }
    });
    if (problems.length) throw new CatalogError(relative, problems);
    return { ...parsed.data, slug: name.replace(/\.ya?ml$/, ""), file: relative };
  });

  const guides = listFiles(path.join(dir, "guides"), /\.md$/).map((name) => {
    const relative = `guides/${name}`;
    const text = readFileSync(path.join(dir, relative), "utf8");
    const match = FRONTMATTER.exec(text);
    if (!match) throw new CatalogError(relative, ["must start with a --- front matter block holding at least `title:`"]);
    const parsed = guideMetaSchema.safeParse(parseYamlFile(relative, match[1]!) ?? {});
    if (!parsed.success) throw new CatalogError(relative, issues(parsed.error));
    return { ...parsed.data, slug: name.replace(/\.md$/, ""), file: relative, markdown: text.slice(match[0].length) };
  });

  for (const [kind, items] of [["products", products], ["guides", guides]] as const) {
    const invalid = items.find((item) => !slug.safeParse(item.slug).success);
    if (invalid) throw new CatalogError(invalid.file, [`file name must be a slug (lowercase letters, digits, dashes) to be used in ${kind} URLs`]);
  }
  const apiSlugs = new Map<string, string>();
  for (const product of products) {
    for (const api of product.apis) {
      if (!api.slug) continue;
      const key = `${api.api}/${api.stage}`;
      const owner = apiSlugs.get(api.slug);
      if (owner && owner !== key) throw new CatalogError(product.file, [`apis: slug '${api.slug}' is used for two different API stages`]);
      apiSlugs.set(api.slug, key);
    }
  }
  return { dir, products: products.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name)), guides: guides.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title)) };
}

export function readCatalogText(dir: string, relative: string): string {
  return readFileSync(path.join(dir, relative), "utf8");
}
