import { parseDocument } from "yaml";
import { SpecError } from "./errors";

/** Larger files are refused: a description this big is a mistake or an attack. */
export const MAX_SPEC_BYTES = 10 * 1024 * 1024;

export type Json = Record<string, unknown>;

/** Parses JSON or YAML text into a plain object, with syntax errors pointing at line and column. */
export function parseSpecText(file: string, text: string): Json {
  if (Buffer.byteLength(text, "utf8") > MAX_SPEC_BYTES) {
    throw new SpecError(file, {}, `the file is larger than ${MAX_SPEC_BYTES / 1024 / 1024} MB`);
  }
  const value = looksLikeJson(text) ? parseJson(file, text) : parseYaml(file, text);
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new SpecError(file, {}, "expected an OpenAPI or Swagger object at the top level");
  }
  return value as Json;
}

function looksLikeJson(text: string): boolean {
  return text.trimStart().startsWith("{");
}

// JSON.parse is ~50x faster than a YAML parser on multi-megabyte specs.
function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    const problem = message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "");
    throw new SpecError(file, { line, column }, `JSON syntax error: ${problem}`, { cause: error });
  }
}

function parseYaml(file: string, text: string): unknown {
  // maxAliasCount bounds "billion laughs" alias expansion; duplicate keys are errors (uniqueKeys).
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const offset = error.pos[0];
    const { line, column } = lineAndColumn(text, offset);
    throw new SpecError(file, { line, column }, `YAML syntax error: ${error.message.split("\n")[0]}`, { cause: error });
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw new SpecError(file, {}, `YAML error: ${(cause as Error).message}`, { cause });
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
