import { afterEach, describe, expect, it, vi } from "vitest";
import { assistantPrompt, copyPageMarkdown, copyPageStatus, copyPageThenConfirm, pageActionLinks, type CopyPageState } from "@/components/ui/page-markdown";

const SITE = "https://portal.example.com";

describe("a docs page's actions for AI assistants", () => {
  it("link the twin as it is, and ask each assistant to read its absolute URL", () => {
    const links = pageActionLinks(SITE, "/apis/pets/operations/list-pets.md");
    const prompt = "Read https://portal.example.com/apis/pets/operations/list-pets.md so I can ask questions about it.";
    expect(assistantPrompt(`${SITE}/apis/pets/operations/list-pets.md`)).toBe(prompt);
    expect(links.markdown).toBe("/apis/pets/operations/list-pets.md");
    expect(links.chatgpt).toBe(`https://chatgpt.com/?hints=search&q=${encodeURIComponent(prompt)}`);
    expect(links.claude).toBe(`https://claude.ai/new?q=${encodeURIComponent(prompt)}`);
    expect(new URL(links.chatgpt).searchParams.get("q")).toBe(prompt);
    expect(new URL(links.claude).searchParams.get("q")).toBe(prompt);
  });

  it("keep a slug's escapes intact through the prompt's encoding", () => {
    const links = pageActionLinks(SITE, `/guides/${encodeURIComponent("a&b c")}.md`);
    expect(new URL(links.claude).searchParams.get("q")).toBe(`Read ${SITE}/guides/a%26b%20c.md so I can ask questions about it.`);
  });
});

describe("copying the page as Markdown", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  function stubClipboard({ withItem }: { withItem: boolean }) {
    const written: string[] = [];
    const clipboard = {
      writeText: vi.fn(async (text: string) => void written.push(text)),
      write: vi.fn(async (items: { types: Record<string, Promise<Blob>> }[]) => void written.push(await (await items[0]!.types["text/plain"]!).text())),
    };
    vi.stubGlobal("navigator", { clipboard });
    vi.stubGlobal(
      "ClipboardItem",
      withItem
        ? class {
            constructor(public types: Record<string, Promise<Blob>>) {}
          }
        : undefined,
    );
    return { clipboard, written };
  }

  const twin = (status = 200) =>
    vi.fn(async (href: string, init?: RequestInit) => {
      expect(href).toBe("/guides/start.md");
      expect(new Headers(init?.headers).get("accept")).toBe("text/markdown");
      return new Response("# Start\n", { status });
    });

  it("asks the clipboard at once with the text still loading (a ClipboardItem), and writes the twin's text", async () => {
    const { clipboard, written } = stubClipboard({ withItem: true });
    vi.stubGlobal("fetch", twin());
    await copyPageMarkdown("/guides/start.md");
    expect(clipboard.write).toHaveBeenCalledOnce();
    expect(clipboard.writeText).not.toHaveBeenCalled();
    expect(written).toEqual(["# Start\n"]);
  });

  it("writes the text when it arrives where ClipboardItem is missing", async () => {
    const { clipboard, written } = stubClipboard({ withItem: false });
    vi.stubGlobal("fetch", twin());
    await copyPageMarkdown("/guides/start.md");
    expect(clipboard.writeText).toHaveBeenCalledOnce();
    expect(written).toEqual(["# Start\n"]);
  });

  it("says why when the twin doesn't load, the clipboard refuses, or there is no clipboard", async () => {
    const states: CopyPageState[] = [];
    const record = (update: CopyPageState | ((s: CopyPageState) => CopyPageState)) =>
      void states.push(typeof update === "function" ? update(states.at(-1)!) : update);

    stubClipboard({ withItem: true });
    vi.stubGlobal("fetch", twin(404));
    await copyPageThenConfirm("/guides/start.md", record);
    expect(states.map((s) => s.kind)).toEqual(["copying", "failed"]);
    expect(copyPageStatus(states.at(-1)!).text).toBe("Couldn’t copy: the Markdown didn’t load (HTTP 404).");

    const { clipboard } = stubClipboard({ withItem: false });
    clipboard.writeText.mockRejectedValue(new DOMException("Denied", "NotAllowedError"));
    vi.stubGlobal("fetch", twin());
    await copyPageThenConfirm("/guides/start.md", record);
    expect(copyPageStatus(states.at(-1)!).text).toMatch(/^Couldn’t copy: the browser blocked the clipboard/);

    vi.stubGlobal("navigator", {});
    await copyPageThenConfirm("/guides/start.md", record);
    expect(copyPageStatus(states.at(-1)!).text).toMatch(/^Couldn’t copy: this browser doesn’t allow it here/);
    expect(copyPageStatus(states.at(-1)!).className).toContain("text-red-700");
  });

  it("says Copied, then clears it 2 s later unless a later press took over", async () => {
    vi.useFakeTimers();
    stubClipboard({ withItem: true });
    vi.stubGlobal("fetch", twin());
    let state: CopyPageState = { kind: "idle" };
    const set = (update: CopyPageState | ((s: CopyPageState) => CopyPageState)) => void (state = typeof update === "function" ? update(state) : update);
    await copyPageThenConfirm("/guides/start.md", set);
    expect(copyPageStatus(state).text).toBe("Copied");
    await vi.advanceTimersByTimeAsync(1000);
    await copyPageThenConfirm("/guides/start.md", set);
    await vi.advanceTimersByTimeAsync(1500);
    expect(state.kind).toBe("copied"); // the first press's timer left the second's state alone
    await vi.advanceTimersByTimeAsync(600);
    expect(state.kind).toBe("idle");
    expect(copyPageStatus(state).text).toBe("");
  });
});
