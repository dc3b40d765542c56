import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CATALOG_DIR } from "./settings";

const infoSchema = z.object({ info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }) });

export interface ApiSpecSummary {
  file: string;
  title: string;
  version: string;
  description?: string;
}

/** The OpenAPI files in catalog/apis/, summarised (title, version, description). */
export function listApiSpecs(): ApiSpecSummary[] {
  const dir = path.join(CATALOG_DIR, "apis");
  return readdirSync(dir)
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort()
    .map((file) => {
      const { info } = infoSchema.parse(parseYaml(readFileSync(path.join(dir, file), "utf8")));
      return { file, title: info.title, version: info.version, ...(info.description ? { description: info.description.trim() } : {}) };
    });
}
