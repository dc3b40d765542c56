import { describe, expect, it } from "vitest";
import { SizedLru } from "@/lib/cache/process";

describe("SizedLru", () => {
  it("evicts the least recently used entries once the total size is over the bound", () => {
    const lru = new SizedLru<string>(10);
    lru.set("a", "A", 4);
    lru.set("b", "B", 4);
    expect(lru.get("a")).toBe("A"); // a is now the most recent
    lru.set("c", "C", 4); // 12 > 10: b goes, not a
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBe("A");
    expect(lru.get("c")).toBe("C");
  });

  it("counts a replaced entry's size once", () => {
    const lru = new SizedLru<string>(10);
    lru.set("a", "A1", 6);
    lru.set("a", "A2", 6);
    lru.set("b", "B", 4); // 6 + 4 = 10: both fit
    expect(lru.get("a")).toBe("A2");
    expect(lru.get("b")).toBe("B");
  });

  it("keeps an entry bigger than the bound until the next one arrives", () => {
    const lru = new SizedLru<string>(10);
    expect(lru.set("huge", "H", 50)).toBe("H");
    expect(lru.get("huge")).toBe("H");
    lru.set("small", "S", 1);
    expect(lru.get("huge")).toBeUndefined();
    expect(lru.get("small")).toBe("S");
  });
});
