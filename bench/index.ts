// npm run bench -- <name>   e.g. npm run bench -- sandbox
const benches: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  sandbox: () => import("./sandbox"),
};

const name = process.argv[2];
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join("|")}>`);
  process.exit(2);
}
await (await bench()).run();
process.exit(0);
