import { ConfigError, getConfig } from "./lib/config";

// A missing or wrong setting stops the server at start, with a message naming each one.
try {
  getConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
