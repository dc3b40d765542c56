// What a build needs before Next compiles anything, as a command: check catalog/ (an invalid file
// fails the build naming file and place, never a page at runtime) and, unless `--check` is given,
// write the docs pages' script and stylesheet (lib/build/docs-assets.ts; `--dev`: under the fixed
// names `npm run dev` announces) and print their URLs as JSON. A process of its own so that
// next.config.ts stays light to load, and so that `npm run dev` can run it off the first page's path.
import { validateCatalog } from "../catalog/validate";
import { buildDocsAssets } from "./docs-assets";

try {
  await validateCatalog();
  if (!process.argv.includes("--check")) process.stdout.write(JSON.stringify(await buildDocsAssets({ dev: process.argv.includes("--dev") })));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
