// npm run bench -- <name>   e.g. npm run bench -- sandbox, npm run bench -- docs, npm run bench -- control-plane
const benches: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  sandbox: () => import("./sandbox"),
  docs: () => import("./docs"),
  "control-plane": () => import("./control-plane"),
  marketplace: () => import("./marketplace"),
};

const chosen = process.argv[2];
const load = chosen ? benches[chosen] : undefined;
if (!load) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join("|")}>`);
  process.exit(2);
}
await (await load()).run();
process.exit(0);

export {};
