import { describe, expect, it } from "vitest";
import { KEY_VALUE, sampleKeyText, writeSampleKeys } from "@/components/docs/islands/key-picker";
import { HOSTILE } from "../components/hostile-values";

const VALID = "AbCdEfGhIjKlMnOpQrSt1234";

describe("the key written into the samples", () => {
  it("is the revealed value only when it looks like an API Gateway key, else the masked hint, else nothing", () => {
    expect(sampleKeyText(undefined, undefined)).toBeNull();
    expect(sampleKeyText({ hint: "1234" }, undefined)).toBe("••••••••1234");
    expect(sampleKeyText({ hint: "1234" }, VALID)).toBe(VALID);
    expect(sampleKeyText({ hint: "12'4" }, undefined)).toBeNull();
    for (const value of [...HOSTILE, "short1234", "x".repeat(129), `${VALID}"`, `${VALID}\n`, `${VALID}é`]) {
      expect(KEY_VALUE.test(value), JSON.stringify(value)).toBe(false);
      expect(sampleKeyText({ hint: "1234" }, value)).toBeNull();
    }
    expect(KEY_VALUE.test("a".repeat(128))).toBe(true);
    expect(KEY_VALUE.test("a".repeat(20))).toBe(true);
  });

  it("goes into every marked span, quoted in code and bare in curl's header, and the environment comes back", () => {
    // Just enough of the DOM for the spans lib/highlight writes.
    const span = (spelling: string, env: string) => {
      const el = {
        dataset: { sampleKey: spelling } as Record<string, string>,
        childNodes: [env] as unknown[],
        textContent: env,
        classes: new Set<string>(),
        classList: { add: (c: string) => el.classes.add(c), remove: (c: string) => el.classes.delete(c) },
        replaceChildren: (...nodes: unknown[]) => {
          el.childNodes = nodes;
          el.textContent = nodes.join("");
        },
      };
      Object.defineProperty(el, "textContent", {
        get: () => el.childNodes.join(""),
        set: (text: string) => (el.childNodes = [text]),
      });
      return el;
    };
    const spans = [span("quoted", 'os.Getenv("API_KEY")'), span("bare", "$API_KEY")];
    const root = { querySelectorAll: (selector: string) => (selector === ".hl-key[data-sample-key]" ? spans : []) } as unknown as ParentNode;

    writeSampleKeys(VALID, root);
    expect(spans.map((s) => s.textContent)).toEqual([`"${VALID}"`, VALID]);
    expect(spans.every((s) => s.classes.has("hl-s"))).toBe(true);
    writeSampleKeys("••••••••1234", root);
    expect(spans.map((s) => s.textContent)).toEqual(['"••••••••1234"', "••••••••1234"]);
    writeSampleKeys(null, root);
    expect(spans.map((s) => s.textContent)).toEqual(['os.Getenv("API_KEY")', "$API_KEY"]);
    expect(spans.some((s) => s.classes.has("hl-s"))).toBe(false);
  });
});
