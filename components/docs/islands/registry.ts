import { CodeSamples } from "./code-samples";
import { CopyPage } from "./copy-page";
import { KeyedCodeSamples } from "./keyed-code-samples";
import { TryIt } from "./try-it";

/**
 * The interactive parts of the docs pages. The server renders each inside <Island> (HTML first,
 * works before any script); islands/client.ts hydrates them from the same props.
 */
export const ISLANDS = {
  "code-samples": CodeSamples,
  "copy-page": CopyPage,
  "keyed-code-samples": KeyedCodeSamples,
  "try-it": TryIt,
};

export type IslandName = keyof typeof ISLANDS;
