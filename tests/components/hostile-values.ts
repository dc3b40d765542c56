import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

/** A fresh folder per test file: the hostile values below try to create a file in it. */
const dir = mkdtempSync(path.join(tmpdir(), "portico-quote-"));
const PWNED = path.join(dir, "pwned");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each would run something, end a literal early or hide what it holds if pasted unquoted. */
export const HOSTILE = [
  `$(touch ${PWNED})`,
  `\`touch ${PWNED}\``,
  `"; touch ${PWNED}; "`,
  `'; touch ${PWNED}; '`,
  `'\\''$(touch ${PWNED})`,
  "\\",
  "ends with a backslash\\",
  "\\' \\\\ \\n",
  '"',
  "'",
  "${x} $HOME ${HOME:-x} $1 $$ !! !-1",
  "line\nbreak\r\n\ttab",
  "\u2028 line and paragraph \u2029 separators",
  "bidi \u202e override, zero\u200bwidth, BOM \ufeff",
  "nul\0byte",
  "emoji 🐢, lone surrogate \ud83d, é",
  "-o /tmp/out",
  "* ~ # ; | && > < %s",
  "</script><script>alert(1)</script>",
  // Pasted raw into a terminal, ^U (0x15) wipes the line typed so far and ESC[201~ ends a bracketed paste early.
  `a\x15; touch ${PWNED} #`,
  `a\x1b[201~\x15touch ${PWNED} #`,
  "",
];

export const nothingRan = () => expect(readdirSync(dir), "a pasted value ran a command").toEqual([]);

const runs = (command: string) => {
  try {
    execFileSync(command, ["-c", command === "python3" ? "pass" : "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

export const hasPython = runs("python3");

/**
 * A test that reads code back with a language's own interpreter or compiler. It never skips: where
 * the tool is missing it fails and says what to install (.ci/run installs them all on Debian).
 */
export function itNeeds(available: boolean, tool: string, debianPackage: string) {
  return (name: string, fn: () => unknown, timeout?: number) =>
    it(
      name,
      () => {
        if (!available) throw new Error(`${tool} is not installed; this test reads the samples back with it (Debian: apt-get install ${debianPackage}).`);
        return fn();
      },
      timeout,
    );
}
export const SHELLS = ["bash", "sh", "zsh", "fish"].filter(runs);

/**
 * The shells that read ANSI-C quoting, $'…' (bash, zsh, ksh; not dash or fish): shellQuote writes a
 * value with a control or invisible character that way.
 */
export const ANSI_C_SHELLS = [...SHELLS, "ksh"].filter((shell) => {
  try {
    return execFileSync(shell, ["-c", "printf %s $'\\x41'"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }) === "A";
  } catch {
    return false;
  }
});

/** The arguments a shell passes to `curl` for this command line, with curl replaced by a function printing them. */
export function argvOf(shell: string, commandLine: string, env: Record<string, string> = {}): string[] {
  const curl = shell === "fish" ? "function curl; printf '%s\\0' $argv; end" : "curl() { printf '%s\\0' \"$@\"; }";
  const out = execFileSync(shell, ["-c", `${curl}\n${commandLine}`], { env: { NODE_ENV: "test", PATH: process.env.PATH, ...env }, cwd: dir, encoding: "utf8" });
  return out.split("\0").slice(0, -1);
}

/** Runs Python source and parses what it prints as JSON. */
export const python = (source: string): unknown => JSON.parse(execFileSync("python3", ["-c", source], { cwd: dir, encoding: "utf8" }));
