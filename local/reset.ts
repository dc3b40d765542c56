// npm run sandbox:reset — forget everything the sandbox stored (it re-seeds on next start).
import { rmSync } from "node:fs";
import path from "node:path";
import { stateDir } from "./settings";

const dir = stateDir(process.cwd());
rmSync(dir, { recursive: true, force: true });
console.log(`Removed ${path.relative(process.cwd(), dir)}/`);
