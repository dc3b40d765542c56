// npm run sandbox — the local AWS sandbox alone, on http://localhost:4566.
import { banner, runSandbox } from "./run";

const port = Number(process.env.SANDBOX_PORT ?? 4566);
const portalUrl = process.env.PORTAL_URL ?? "http://localhost:3000";

const running = await runSandbox({ root: process.cwd(), port, portalUrl });
console.log(banner(running, portalUrl));

const stop = async () => {
  await running.sandbox.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
