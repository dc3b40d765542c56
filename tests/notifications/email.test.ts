import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { emailContextSchema, isEmailNotice, PAGES, renderNoticeEmail, type EmailContext } from "@/lib/notifications/email";
import { clean, formatDateTime, SUBJECT_MAX, subjectLine } from "@/lib/notifications/email-templates/format";
import { CATEGORIES, categoryOf, NOTICE_TYPES, type Notice, type NoticeType } from "@/lib/outbox/events";

const SITE = "https://portal.example.com";
const CONTEXT: EmailContext = {
  portalName: "Acme APIs",
  siteUrl: SITE,
  brandColor: "#3b5bdb",
  recipientName: "Ana",
  unsubscribeUrl: `${SITE}/notifications/unsubscribe?token=t0k3n&category=c`,
  preferencesUrl: `${SITE}/account#notifications`,
};

const KEY = { keyId: "k-1", keyName: "Production", keyHint: "a1b2" };
const PLAN = { planId: "p-1", productName: "Weather Pro" };
const AT = "2026-12-07T09:30:00.000Z";

type EmailType = Exclude<NoticeType, "webhook.test">;
const notice = <T extends NoticeType>(type: T, data: Extract<Notice, { type: T }>["data"]) =>
  ({ id: `n-${type}`, type, userId: "u-1", at: AT, data }) as Notice;

/** One notice of each type, and what its email must tell the reader (in the subject, the HTML and the text). */
const CASES: { name: string; notice: Notice; subject: string[]; facts: string[]; link: string }[] = [
  {
    name: "quota.threshold at 80 %",
    notice: notice("quota.threshold", { ...KEY, ...PLAN, threshold: 80, used: 8000, limit: 10000, period: "MONTH", resetsAt: "2027-01-01T00:00:00.000Z" }),
    subject: ["Production", "80 %", "Weather Pro"],
    facts: ["“Production” (…a1b2)", "Weather Pro", "8,000 of 10,000", "10,000 requests per month", "1 Jan 2027, 00:00 UTC", "429"],
    link: `${SITE}/dashboard#usage`,
  },
  {
    name: "quota.threshold at 100 %",
    notice: notice("quota.threshold", { ...KEY, ...PLAN, threshold: 100, used: 1000, limit: 1000, period: "DAY", resetsAt: "2026-12-08T00:00:00.000Z" }),
    subject: ["Production", "all of its", "Weather Pro"],
    facts: ["“Production” (…a1b2)", "Weather Pro", "1,000 of 1,000 requests (100 %)", "per day", "8 Dec 2026, 00:00 UTC", "429"],
    link: `${SITE}/dashboard#usage`,
  },
  {
    name: "key.created",
    notice: notice("key.created", KEY),
    subject: ["Production", "created"],
    facts: ["“Production” (…a1b2)", "7 Dec 2026, 09:30 UTC", "Wasn't you?", "change your password"],
    link: `${SITE}/dashboard#api-keys`,
  },
  {
    name: "key.rotated",
    notice: notice("key.rotated", { ...KEY, newKeyId: "k-2", newKeyName: "Production v2", retiresAt: "2026-12-08T09:30:00.000Z" }),
    subject: ["Production", "rotated"],
    facts: ["“Production” (…a1b2)", "“Production v2”", "8 Dec 2026, 09:30 UTC", "Wasn't you?"],
    link: `${SITE}/dashboard#api-keys`,
  },
  {
    name: "key.retiring-soon",
    notice: notice("key.retiring-soon", { ...KEY, retiresAt: "2026-12-08T09:30:00.000Z" }),
    subject: ["Production", "8 Dec 2026, 09:30 UTC"],
    facts: ["“Production” (…a1b2)", "8 Dec 2026, 09:30 UTC", "403"],
    link: `${SITE}/dashboard#api-keys`,
  },
  {
    name: "key.retired (rotated)",
    notice: notice("key.retired", { ...KEY, retiredAt: "2026-12-08T09:30:00.000Z", reason: "rotated" }),
    subject: ["Production", "stopped working"],
    facts: ["“Production” (…a1b2)", "grace period", "8 Dec 2026, 09:30 UTC", "403"],
    link: `${SITE}/dashboard#api-keys`,
  },
  {
    name: "key.retired (expired)",
    notice: notice("key.retired", { ...KEY, retiredAt: "2026-12-08T09:30:00.000Z", reason: "expired" }),
    subject: ["Production", "stopped working"],
    facts: ["“Production” (…a1b2)", "expiry date", "8 Dec 2026, 09:30 UTC"],
    link: `${SITE}/dashboard#api-keys`,
  },
  {
    name: "key.unused",
    notice: notice("key.unused", { ...KEY, days: 90, lastUsedDay: "2026-09-08" }),
    subject: ["Production", "90 days"],
    facts: ["“Production” (…a1b2)", "90 days", "8 Sep 2026"],
    link: `${SITE}/dashboard#api-keys`,
  },
  {
    name: "subscription.approved",
    notice: notice("subscription.approved", PLAN),
    subject: ["Weather Pro", "approved"],
    facts: ["Weather Pro", "approved"],
    link: `${SITE}/dashboard#subscriptions`,
  },
  {
    name: "subscription.rejected",
    notice: notice("subscription.rejected", { ...PLAN, reason: "Please tell us what you're building first." }),
    subject: ["Weather Pro", "declined"],
    facts: ["Weather Pro", "Their reason", "Please tell us what you're building first."],
    link: `${SITE}/dashboard#available-plans`,
  },
  {
    name: "marketplace.confirmed",
    notice: notice("marketplace.confirmed", PLAN),
    subject: ["AWS Marketplace", "Weather Pro", "active"],
    facts: ["AWS Marketplace", "Weather Pro"],
    link: `${SITE}/dashboard#api-keys`,
  },
  {
    name: "marketplace.ended",
    notice: notice("marketplace.ended", { ...PLAN, reason: "unsubscribe-success" }),
    subject: ["AWS Marketplace", "Weather Pro", "ended"],
    facts: ["Weather Pro", "no longer works", "unsubscribe-success"],
    link: `${SITE}/dashboard#subscriptions`,
  },
  {
    name: "webhook.disabled",
    notice: notice("webhook.disabled", {
      endpointId: "e-1",
      url: "https://hooks.example.org/portico",
      failingSince: "2026-12-06T09:30:00.000Z",
      lastStatus: "HTTP 503",
    }),
    subject: ["Webhook", "disabled"],
    facts: ["hooks.example.org/portico", "6 Dec 2026, 09:30 UTC", "HTTP 503"],
    link: `${SITE}/dashboard/notifications`,
  },
  {
    name: "admin.approval-requested",
    notice: notice("admin.approval-requested", { ...PLAN, userEmail: "dev@example.net" }),
    subject: ["dev@example.net", "Weather Pro"],
    facts: ["dev@example.net", "Weather Pro"],
    link: `${SITE}/admin/approvals`,
  },
  {
    name: "admin.signup-pending",
    notice: notice("admin.signup-pending", { userEmail: "new@example.net" }),
    subject: ["new@example.net", "approval"],
    facts: ["new@example.net"],
    link: `${SITE}/admin/registration#pending-accounts`,
  },
];

/** Every link and image target in the HTML, decoded as a mail client would read it. */
function targets(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|action|background)="([^"]*)"/gi)].map((m) => m[1]!.replaceAll("&amp;", "&"));
}

/** The attributes and tags a hostile value would have to create to do harm. */
function injected(html: string): string[] {
  return [
    ...(html.match(/<script/gi) ?? []),
    ...(html.match(/<img(?![^>]*src="https:\/\/portal\.example\.com\/logo\.png")/gi) ?? []),
    ...(html.match(/<[a-z][^>]*\son[a-z]+\s*=/gi) ?? []),
    ...(html.match(/=\s*"\s*javascript:/gi) ?? []),
  ];
}

describe("renderNoticeEmail", () => {
  it("has a case for every notice type that goes by email", () => {
    const covered = new Set(CASES.map((c) => c.notice.type));
    const emailTypes = (Object.keys(NOTICE_TYPES) as NoticeType[]).filter(isEmailNotice);
    expect([...covered].sort()).toEqual([...emailTypes].sort());
  });

  for (const { name, notice, subject, facts, link } of CASES) {
    it(`renders ${name} with its facts in every part`, async () => {
      const email = await renderNoticeEmail(notice, CONTEXT);
      for (const part of subject) expect(email.subject).toContain(part);
      expect(email.subject).not.toMatch(/[\r\n]/);
      // Compare with the HTML's text as a reader sees it: React may write ' as &#x27; and splits adjacent text with <!-- -->.
      const htmlText = email.html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&amp;", "&");
      for (const fact of facts) {
        expect(htmlText).toContain(fact);
        expect(email.text).toContain(fact);
      }
      expect(email.html).toMatch(/^<!DOCTYPE html/);
      expect(email.html).toContain('lang="en"');
      expect(targets(email.html)).toContain(link);
      expect(email.text).toContain(link);
      // The frame: greeting, category, the two footer links in both parts.
      expect(email.text).toContain("Hi Ana,");
      const label = CATEGORIES[categoryOf(notice.type as EmailType)].label;
      expect(email.text).toContain(`Unsubscribe from ${label}`);
      expect(email.text).toContain(CONTEXT.unsubscribeUrl);
      expect(email.text).toContain(CONTEXT.preferencesUrl);
      expect(targets(email.html)).toEqual(expect.arrayContaining([CONTEXT.unsubscribeUrl, CONTEXT.preferencesUrl]));
      // The button is in the brand colour.
      expect(email.html).toContain("background-color:#3b5bdb");
    });
  }

  it("says a rejection's reason only when there is one", async () => {
    const email = await renderNoticeEmail(notice("subscription.rejected", PLAN), CONTEXT);
    expect(email.text).toContain("declined your request for Weather Pro");
    expect(email.text).not.toContain("Their reason");
  });

  it("says when a key was never used", async () => {
    const email = await renderNoticeEmail(notice("key.unused", { ...KEY, days: 30 }), CONTEXT);
    expect(email.text).toContain("No use recorded");
  });

  it("names a developer without an email address in admin notices", async () => {
    const email = await renderNoticeEmail(notice("admin.signup-pending", { userEmail: null }), CONTEXT);
    expect(email.subject).toContain("A developer without an email address");
    expect(email.text).toContain("administrator of Acme APIs");
  });

  it("shows the logo when there is one, and the portal's name otherwise", async () => {
    const withLogo = await renderNoticeEmail(notice("key.created", KEY), { ...CONTEXT, logoUrl: `${SITE}/logo.png` });
    expect(withLogo.html).toMatch(
      /<img[^>]*alt="Acme APIs"[^>]*src="https:\/\/portal\.example\.com\/logo\.png"|<img[^>]*src="https:\/\/portal\.example\.com\/logo\.png"[^>]*alt="Acme APIs"/,
    );
    const withoutLogo = await renderNoticeEmail(notice("key.created", KEY), CONTEXT);
    expect(withoutLogo.html).not.toContain("<img");
    expect(withoutLogo.text).toContain("Acme APIs");
  });

  it("greets people it has no name for", async () => {
    const email = await renderNoticeEmail(notice("key.created", KEY), { ...CONTEXT, recipientName: null });
    expect(email.text).toContain("Hello,");
  });

  it("puts dark text on a pale brand colour", async () => {
    const email = await renderNoticeEmail(notice("key.created", KEY), { ...CONTEXT, brandColor: "#ffd43b" });
    expect(email.html).toMatch(/background-color:#ffd43b;[^"]*color:#18181b/);
  });

  it("refuses the webhook test event", async () => {
    const test = { id: "n-t", type: "webhook.test", userId: "u-1", at: AT, data: { endpointId: "e-1" } } as Notice;
    await expect(renderNoticeEmail(test, CONTEXT)).rejects.toThrow(AppError);
    await expect(renderNoticeEmail(test, CONTEXT)).rejects.toThrow(/never by email/);
  });

  it("refuses a notice whose data doesn't fit its type", async () => {
    const broken = { id: "n-b", type: "quota.threshold", userId: "u-1", at: AT, data: { ...KEY, ...PLAN, threshold: 90 } } as unknown as Notice;
    await expect(renderNoticeEmail(broken, CONTEXT)).rejects.toThrow(/malformed data/);
  });

  it("refuses a context whose URLs or colour could inject anything", async () => {
    const created = notice("key.created", KEY);
    for (const bad of [
      { siteUrl: "javascript:alert(1)" },
      { siteUrl: `${SITE}/` },
      { unsubscribeUrl: "javascript:alert(1)" },
      { preferencesUrl: "data:text/html,<script>alert(1)</script>" },
      { logoUrl: "javascript:alert(1)" },
      { brandColor: "red;background:url(https://evil.example)" },
    ]) {
      await expect(renderNoticeEmail(created, { ...CONTEXT, ...bad })).rejects.toThrow(AppError);
    }
    expect(emailContextSchema.safeParse({ ...CONTEXT, siteUrl: "http://localhost:3000" }).success).toBe(true);
  });
});

describe("hostile values in a notice", () => {
  const HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "Prod\r\nBcc: victim@example.com\r\n\r\n<b>hi</b>",
    "x\u202Eexe.txt",
  ];

  /** Every string field of every notice type set to one hostile value (the enums and numbers kept valid). */
  const hostileNotices = (value: string): Notice[] => [
    notice("quota.threshold", {
      keyId: value,
      keyName: value,
      keyHint: value,
      planId: value,
      productName: value,
      threshold: 80,
      used: 1,
      limit: 2,
      period: "DAY",
      resetsAt: value,
    }),
    notice("key.created", { keyId: value, keyName: value, keyHint: value }),
    notice("key.rotated", { keyId: value, keyName: value, keyHint: value, newKeyId: value, newKeyName: value, retiresAt: value }),
    notice("key.retiring-soon", { keyId: value, keyName: value, keyHint: value, retiresAt: value }),
    notice("key.retired", { keyId: value, keyName: value, keyHint: value, retiredAt: value, reason: "rotated" }),
    notice("key.unused", { keyId: value, keyName: value, keyHint: value, days: 3, lastUsedDay: value }),
    notice("subscription.approved", { planId: value, productName: value }),
    notice("subscription.rejected", { planId: value, productName: value, reason: value }),
    notice("marketplace.confirmed", { planId: value, productName: value }),
    notice("marketplace.ended", { planId: value, productName: value, reason: value }),
    notice("webhook.disabled", { endpointId: value, url: value, failingSince: value, lastStatus: value }),
    notice("admin.approval-requested", { planId: value, productName: value, userEmail: value }),
    notice("admin.signup-pending", { userEmail: value }),
  ];

  const allowed = new Set([...Object.values(PAGES).map((page) => `${SITE}${page}`), CONTEXT.unsubscribeUrl, CONTEXT.preferencesUrl, `${SITE}/logo.png`]);

  for (const value of HOSTILE) {
    it(`never lets ${JSON.stringify(value)} become markup, a link or a header`, async () => {
      for (const hostile of hostileNotices(value)) {
        const email = await renderNoticeEmail(hostile, { ...CONTEXT, logoUrl: `${SITE}/logo.png`, recipientName: value });
        const where = `${hostile.type}`;
        expect(injected(email.html), where).toEqual([]);
        for (const target of targets(email.html)) expect(allowed, `${where}: ${target}`).toContain(target);
        expect(email.subject, where).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(email.subject.length, where).toBeLessThanOrEqual(SUBJECT_MAX);
        expect(email.html, where).not.toContain("\u202E");
        // The value is still shown, escaped, where the template shows it.
        if (value.includes("<script>")) expect(email.html, where).toContain("&lt;script&gt;");
        expect(email.text, where).toContain(CONTEXT.unsubscribeUrl);
      }
    });
  }

  it("keeps a subject from a very long name under the limit", async () => {
    const email = await renderNoticeEmail(
      notice("quota.threshold", {
        ...KEY,
        ...PLAN,
        keyName: "k".repeat(500),
        productName: "p".repeat(500),
        threshold: 100,
        used: 5,
        limit: 5,
        period: "WEEK",
        resetsAt: AT,
      }),
      CONTEXT,
    );
    expect(email.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(email.subject).toContain("…");
  });
});

describe("subjectLine and clean", () => {
  it("keep a subject to one bounded line whatever it is made of", () => {
    expect(subjectLine("Quota\r\nBcc: victim@example.com\u2028x")).toBe("Quota Bcc: victim@example.com x");
    const long = subjectLine("word ".repeat(100));
    expect(long.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(long.endsWith("…")).toBe(true);
  });

  it("drop controls and bidi overrides from untrusted text", () => {
    expect(clean("a\u0000b\u202Ec\u2066d\te")).toBe("a b c d e");
    expect(clean("x".repeat(10), 5)).toBe("xxxx…");
  });
});

describe("formatDateTime", () => {
  it("writes UTC times the way the emails say them", () => {
    expect(formatDateTime("2026-12-08T00:00:00.000Z")).toBe("8 Dec 2026, 00:00 UTC");
    expect(formatDateTime("2027-09-14T15:09:26Z")).toBe("14 Sep 2027, 15:09 UTC");
    expect(formatDateTime("not a date\r\n")).toBe("not a date");
  });
});
