import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect } from "vitest";
import { shellQuote } from "@/lib/openapi/quote";
import { ANSI_C_SHELLS, hasPython, HOSTILE, itNeeds, nothingRan } from "./hostile-values";

/**
 * shellQuote's words pasted into an interactive bash on a terminal (a pseudo-terminal driven by
 * Python's pty module), as a reader pastes a curl sample: readline sees every character, so a ^U
 * or an ESC[201~ in a value would act, not be text. The pasted command must pass each value as it
 * is, and run nothing else.
 */
const dir = mkdtempSync(path.join(tmpdir(), "portico-paste-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Waits for the prompt (readline is then reading the terminal), pastes, presses Enter, then exits.
const DRIVER = `
import os, pty, select, sys, time
paste = sys.stdin.buffer.read()
pid, fd = pty.fork()
if pid == 0:
    os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], {"PATH": os.environ["PATH"], "HOME": os.getcwd(), "HISTFILE": "/dev/null", "LANG": "C.UTF-8", "TERM": "xterm", "INPUTRC": "inputrc", "PS1": "READY> ", "PS2": ""})
out = b""
def wait_for(marker, seconds):
    global out
    deadline = time.time() + seconds
    while marker not in out and time.time() < deadline:
        if select.select([fd], [], [], 0.2)[0]:
            try: out += os.read(fd, 65536)
            except OSError: return
    if marker not in out: sys.exit("timed out waiting for " + repr(marker) + ": " + repr(out[-300:]))
wait_for(b"READY> ", 20)
out = b""
os.write(fd, paste + b"\\r")
wait_for(b"READY> ", 20)
os.write(fd, b"exit\\r")
os.waitpid(pid, 0)
`;

function paste(command: string, bracketed: boolean): string[] {
  writeFileSync(path.join(dir, "inputrc"), `set enable-bracketed-paste ${bracketed ? "on" : "off"}\n`);
  // A terminal wraps a paste in ESC[200~ … ESC[201~ when the application asks for it (bracketed paste).
  const text = `curl() { printf '%s\\0' "$@" > args; }; ${command}`;
  execFileSync("python3", ["-c", DRIVER], {
    cwd: dir,
    input: Buffer.from(bracketed ? `\x1b[200~${text}\x1b[201~` : text),
    stdio: ["pipe", "ignore", "pipe"],
    timeout: 60_000,
  });
  return readFileSync(path.join(dir, "args"), "utf8").split("\0").slice(0, -1);
}

describe("a pasted curl command", () => {
  const bash = hasPython && ANSI_C_SHELLS.includes("bash");
  for (const bracketed of [true, false]) {
    itNeeds(
      bash,
      "python3 and bash",
      "python3 bash",
    )(`passes every value as it is, running nothing else (bracketed paste ${bracketed ? "on" : "off"})`, () => {
      rmSync(path.join(dir, "args"), { force: true });
      const argv = paste(`curl ${HOSTILE.map(shellQuote).join(" ")}`, bracketed);
      expect(argv).toEqual(HOSTILE.map((v) => Buffer.from(v.replaceAll("\0", "")).toString()));
      nothingRan();
    });
  }
});
