import { describe, expect, it } from "vitest";
import { mailbox } from "@/lib/notifications/mail";

/** The From header the notifier sends: one RFC 5322 mailbox whatever the portal's name. */
describe("the sender's display name", () => {
  it("is quoted, so punctuation can't split it into several addresses or comments", () => {
    expect(mailbox("Acme, Inc.", "notices@acme.example")).toBe('"Acme, Inc." <notices@acme.example>');
    expect(mailbox("APIs (beta)", "n@x.example")).toBe('"APIs (beta)" <n@x.example>');
    expect(mailbox('Say "hi" \\ now', "n@x.example")).toBe('"Say \\"hi\\" \\\\ now" <n@x.example>');
  });

  it("is RFC 2047-encoded when it isn't ASCII, and never carries a line break", () => {
    const header = mailbox("Café APIs", "n@x.example");
    const [, encoded] = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?= <n@x\.example>$/.exec(header) ?? [];
    expect(Buffer.from(encoded!, "base64").toString("utf8")).toBe("Café APIs");
    expect(mailbox("Evil\r\nBcc: x@y.example", "n@x.example")).toBe('"Evil Bcc: x@y.example" <n@x.example>');
    expect(mailbox("   ", "n@x.example")).toBe("n@x.example");
  });
});
