// npm run bench -- <name>   e.g. npm run bench -- sandbox, npm run bench -- docs, npm run bench -- docs-cache, npm run bench -- control-plane, npm run bench -- admin, npm run bench -- sessions, npm run bench -- dev, npm run bench -- fleet, npm run bench -- agent, npm run bench -- notifications
const benches: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  sandbox: () => import("./sandbox"),
  docs: () => import("./docs"),
  "docs-cache": () => import("./docs-cache"),
  "control-plane": () => import("./control-plane"),
  marketplace: () => import("./marketplace"),
  admin: () => import("./admin"),
  sessions: () => import("./sessions"),
  dev: () => import("./dev"),
  fleet: () => import("./fleet"),
  agent: () => import("./agent"),
  notifications: () => import("./notifications"),
};

const chosen = process.argv[2];
const load = chosen ? benches[chosen] : undefined;
if (!load) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join("|")}>`);
  process.exit(2);
}
// Before any benchmark module loads: some import lib/ modules that create AWS clients at load time,
// and the sandbox and next start use the SDK too; one Node-version notice per process is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
await (await load()).run();
process.exit(0);

export {};
