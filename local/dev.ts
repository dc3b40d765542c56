// npm run dev — the sandbox and the portal together: `next dev` (or `next start` with --start).
import { spawn } from "node:child_process";
import { banner, runSandbox } from "./run";

const production = process.argv.includes("--start");
const fresh = process.argv.includes("--fresh");
const port = Number(process.env.SANDBOX_PORT ?? 4566);
const portalPort = Number(process.env.PORT ?? 3000);
const portalUrl = `http://localhost:${portalPort}`;

let running;
try {
  running = await runSandbox({ root: process.cwd(), port, portalUrl, fresh, quiet: production });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error(`Port ${port} is in use: is another sandbox (or LocalStack) running? Stop it, or set SANDBOX_PORT.`);
    process.exit(1);
  }
  throw error;
}
console.log(banner(running, portalUrl));

// Loopback only: the portal and its sandbox are for this machine.
const next = spawn("npx", ["next", production ? "start" : "dev", "--port", String(portalPort), "--hostname", "127.0.0.1"], {
  stdio: "inherit",
  env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, ...running.env },
});

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await running.sandbox.close();
  process.exit(code);
};
next.on("exit", (code) => void stop(code ?? 0));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
