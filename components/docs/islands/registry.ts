import { CopyPage } from "./copy-page";
import { KeyPicker } from "./key-picker";
import { Tabs } from "./tabs";
import { TryIt } from "./try-it";

/**
 * The interactive parts of the docs pages. The server renders each inside <Island> (HTML first,
 * works before any script); islands/client.ts hydrates them from the same props. The code
 * samples themselves are server-rendered HTML (islands/code-samples.tsx): only their tab bar and
 * the key picker run here.
 */
export const ISLANDS = {
  "code-tabs": Tabs,
  "copy-page": CopyPage,
  "key-picker": KeyPicker,
  "try-it": TryIt,
};

export type IslandName = keyof typeof ISLANDS;
