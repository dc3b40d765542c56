import type { ReactNode } from "react";
import type { NoticeData, NoticeType } from "../../outbox/events";
import { clean, formatCount, formatDateTime, formatDay, keyLabel, keyName, productName } from "./format";
import { Facts, P, Quote, portalHref, type EmailContext, type Href } from "./layout";

/**
 * Every notice type but the webhook test, which only ever goes to the endpoint being tested, and the team invitation,
 * which goes to an address rather than an account and is rendered with its link (./invitation.tsx).
 */
export type EmailNoticeType = Exclude<NoticeType, "webhook.test" | "team.invited">;

/** What one notice says: the layout adds the portal's frame around `body`. */
export interface NoticeContent {
  subject: string;
  /** The line inboxes show after the subject. */
  preview: string;
  heading: string;
  body: ReactNode;
  action?: { label: string; href: Href };
}

type Template<T extends EmailNoticeType> = (data: NoticeData<T>, context: EmailContext, at: string) => NoticeContent;

const PERIOD = {
  DAY: { per: "per day", within: "today" },
  WEEK: { per: "per week", within: "this week" },
  MONTH: { per: "per month", within: "this month" },
} as const;

/** What someone should do when a security notice describes something they didn't do (for a team: one of its members did it). */
const notYou = (context: EmailContext) =>
  context.team ? (
    <P>
      <strong>Not expected?</strong> A member of the team did this: the team&apos;s page says who has seen each key, and its owners can remove members and
      rotate what they saw.
    </P>
  ) : (
    <P>
      <strong>Wasn&apos;t you?</strong> Someone else may be signed in to your account: delete any key you don&apos;t recognise from your dashboard straight
      away, then change your password.
    </P>
  );

/** A person named in an admin notice (their sign-up email), or who they are when it's unknown. */
const who = (email: string | null) => (email ? clean(email, 254) : "A developer without an email address");

export const TEMPLATES: { [T in EmailNoticeType]: Template<T> } = {
  "quota.threshold": (d, context) => {
    const key = keyLabel(d.keyName, d.keyHint);
    const product = productName(d.productName);
    const period = PERIOD[d.period];
    const resets = formatDateTime(d.resetsAt);
    const used = `${formatCount(d.used)} of ${formatCount(d.limit)} requests (${Math.floor((d.used / d.limit) * 100)} %)`;
    const full = d.threshold === 100;
    return {
      subject: full ? `Key ${keyName(d.keyName)} has used all of its ${product} quota` : `Key ${keyName(d.keyName)} has used 80 % of its ${product} quota`,
      preview: `${used} ${period.within}; the quota resets on ${resets}.`,
      heading: full ? "Your quota is used up" : "80 % of your quota is used",
      body: (
        <>
          <P>
            {full
              ? `Your key ${key} has used all ${formatCount(d.limit)} requests its ${product} plan allows ${period.within}. Calls with this key are refused with 429 Too Many Requests until the quota resets on ${resets}.`
              : `Your key ${key} has used ${formatCount(d.used)} of the ${formatCount(d.limit)} requests its ${product} plan allows ${period.within}. Once it reaches the limit, calls with this key are refused with 429 Too Many Requests until the quota resets on ${resets}.`}
          </P>
          <Facts
            rows={[
              ["Key", key],
              ["Plan", product],
              ["Used", used],
              ["Quota", `${formatCount(d.limit)} requests ${period.per}`],
              ["Resets", resets],
            ]}
          />
          <P>If you need more, your dashboard lists the plans available to you.</P>
        </>
      ),
      action: { label: "View usage", href: portalHref(context, "usage") },
    };
  },

  "key.created": (d, context, at) => {
    const key = keyLabel(d.keyName, d.keyHint);
    return {
      subject: `New API key created: ${keyName(d.keyName)}`,
      preview: `The key ${key} was created on ${formatDateTime(at)}.`,
      heading: "A new API key was created",
      body: (
        <>
          <P>A new API key was created for your account. It works with every API your active plans cover.</P>
          <Facts
            rows={[
              ["Key", key],
              ["Created", formatDateTime(at)],
            ]}
          />
          {notYou(context)}
        </>
      ),
      action: { label: "Review your keys", href: portalHref(context, "keys") },
    };
  },

  "key.rotated": (d, context, at) => {
    const key = keyLabel(d.keyName, d.keyHint);
    const retires = formatDateTime(d.retiresAt);
    return {
      subject: `API key ${keyName(d.keyName)} was rotated`,
      preview: `The old key keeps working until ${retires}.`,
      heading: "An API key was rotated",
      body: (
        <>
          <P>{`Your key ${key} was rotated: the new key “${clean(d.newKeyName, 60)}” replaces it. The old key keeps working until ${retires}, then stops. Switch your apps to the new key before then.`}</P>
          <Facts
            rows={[
              ["Old key", key],
              ["New key", `“${clean(d.newKeyName, 60)}”`],
              ["Rotated", formatDateTime(at)],
              ["Old key stops", retires],
            ]}
          />
          {notYou(context)}
        </>
      ),
      action: { label: "Review your keys", href: portalHref(context, "keys") },
    };
  },

  "key.retiring-soon": (d, context) => {
    const key = keyLabel(d.keyName, d.keyHint);
    const retires = formatDateTime(d.retiresAt);
    return {
      subject: `API key ${keyName(d.keyName)} stops working on ${retires}`,
      preview: `Make sure your apps use another key before ${retires}.`,
      heading: "An API key stops working soon",
      body: (
        <>
          <P>{`Your key ${key} stops working on ${retires}. From then on, calls that still send it are refused with 403 Forbidden: make sure your apps use its replacement, or another key, before then.`}</P>
          <Facts
            rows={[
              ["Key", key],
              ["Stops working", retires],
            ]}
          />
        </>
      ),
      action: { label: "Review your keys", href: portalHref(context, "keys") },
    };
  },

  "key.retired": (d, context) => {
    const key = keyLabel(d.keyName, d.keyHint);
    const when = formatDateTime(d.retiredAt);
    return {
      subject: `API key ${keyName(d.keyName)} has stopped working`,
      preview: d.reason === "rotated" ? `The rotated key's grace period ended on ${when}.` : `The key expired on ${when}.`,
      heading: "An API key has stopped working",
      body: (
        <>
          <P>
            {`${
              d.reason === "rotated"
                ? `The grace period of your rotated key ${key} ended on ${when}, and the key was deleted.`
                : `Your key ${key} reached its expiry date on ${when} and was deleted.`
            } Calls that still send it are refused with 403 Forbidden; use another key, or create one on your dashboard.`}
          </P>
          <Facts
            rows={[
              ["Key", key],
              ["Stopped", when],
              ["Why", d.reason === "rotated" ? "Rotated" : "Expired"],
            ]}
          />
        </>
      ),
      action: { label: "Review your keys", href: portalHref(context, "keys") },
    };
  },

  "key.unused": (d, context) => {
    const key = keyLabel(d.keyName, d.keyHint);
    const last = d.lastUsedDay ? formatDay(d.lastUsedDay) : "No use recorded";
    return {
      subject: `API key ${keyName(d.keyName)} hasn't been used for ${d.days} days`,
      preview: `An unused key can only leak: delete it if you no longer need it.`,
      heading: "An API key isn't being used",
      body: (
        <>
          <P>{`Your key ${key} hasn't made a single call in the last ${d.days} days.`}</P>
          <Facts
            rows={[
              ["Key", key],
              ["Last used", last],
            ]}
          />
          <P>A key nobody uses can still leak. If you no longer need it, delete it from your dashboard; if you do, there&apos;s nothing to do.</P>
        </>
      ),
      action: { label: "Review your keys", href: portalHref(context, "keys") },
    };
  },

  "subscription.approved": (d, context) => {
    const product = productName(d.productName);
    return {
      subject: `Your subscription to ${product} was approved`,
      preview: `Your keys can now call the ${product} APIs.`,
      heading: "Subscription approved",
      body: (
        <P>{`An administrator approved your request for ${product}. Your API keys now work with its APIs; the change can take a few minutes to reach the gateway.`}</P>
      ),
      action: { label: "Open your dashboard", href: portalHref(context, "subscriptions") },
    };
  },

  "subscription.rejected": (d, context) => {
    const product = productName(d.productName);
    const reason = d.reason ? clean(d.reason, 500) : "";
    return {
      subject: `Your subscription request for ${product} was declined`,
      preview: reason ? `Reason: ${reason}` : `An administrator declined your request for ${product}.`,
      heading: "Subscription request declined",
      body: (
        <>
          <P>{`An administrator declined your request for ${product}.`}</P>
          {reason && (
            <>
              <P>Their reason:</P>
              <Quote>{reason}</Quote>
            </>
          )}
          <P>Other plans may still be open to you: your dashboard lists them.</P>
        </>
      ),
      action: { label: "See available plans", href: portalHref(context, "plans") },
    };
  },

  "marketplace.confirmed": (d, context) => {
    const product = productName(d.productName);
    return {
      subject: `Your AWS Marketplace subscription to ${product} is active`,
      preview: `The key that came with it now works with the ${product} APIs.`,
      heading: "AWS Marketplace subscription confirmed",
      body: (
        <P>{`AWS Marketplace confirmed your subscription to ${product}. The API key that came with it now works with its APIs, and its use is billed through your AWS account.`}</P>
      ),
      action: { label: "View your keys", href: portalHref(context, "keys") },
    };
  },

  "marketplace.ended": (d, context) => {
    const product = productName(d.productName);
    const reason = d.reason ? clean(d.reason, 300) : "";
    return {
      subject: `Your AWS Marketplace subscription to ${product} has ended`,
      preview: `The key that came with it no longer works with the ${product} APIs.`,
      heading: "AWS Marketplace subscription ended",
      body: (
        <>
          <P>{`Your AWS Marketplace subscription to ${product} has ended, and the API key that came with it no longer works with its APIs.`}</P>
          {reason && <Facts rows={[["Reason", reason]]} />}
          <P>To keep using them, subscribe again on AWS Marketplace, or pick another plan on your dashboard.</P>
        </>
      ),
      action: { label: "Open your dashboard", href: portalHref(context, "subscriptions") },
    };
  },

  "webhook.disabled": (d, context) => {
    const since = formatDateTime(d.failingSince);
    const status = clean(d.lastStatus, 60);
    // The endpoint's URL is shown as text only: it is the developer's own input, never a link.
    const url = clean(d.url, 200);
    return {
      subject: "Webhook endpoint disabled after repeated failures",
      preview: `Deliveries have failed since ${since}; events are no longer sent to it.`,
      heading: "A webhook endpoint was disabled",
      body: (
        <>
          <P>{`Every delivery to one of your webhook endpoints has failed since ${since}, so we stopped sending events to it.`}</P>
          <Facts
            rows={[
              ["Endpoint", url],
              ["Failing since", since],
              ["Last response", status],
            ]}
          />
          <P>Once the endpoint works again, turn it back on in your webhook settings and send a test event to check it.</P>
        </>
      ),
      action: { label: "Open webhook settings", href: portalHref(context, "webhooks") },
    };
  },

  "admin.approval-requested": (d, context) => {
    const product = productName(d.productName);
    const person = who(d.userEmail);
    return {
      subject: `Approval requested: ${clean(person, 80)} for ${product}`,
      preview: `${person} asked to subscribe to ${product}.`,
      heading: "A subscription request is waiting",
      body: (
        <>
          <P>A developer asked to subscribe to a plan that needs an administrator&apos;s approval. Their keys work with it once it&apos;s approved.</P>
          <Facts
            rows={[
              ["Developer", person],
              ["Plan", product],
            ]}
          />
        </>
      ),
      action: { label: "Review requests", href: portalHref(context, "approvals") },
    };
  },

  "admin.signup-pending": (d, context) => {
    const person = who(d.userEmail);
    return {
      subject: `New sign-up waiting for approval: ${clean(person, 100)}`,
      preview: `${person} signed up and is waiting for approval.`,
      heading: "A new sign-up is waiting for approval",
      body: (
        <>
          <P>
            Someone signed up while registration needs approval. They can browse the APIs, but can&apos;t create keys or subscribe until an administrator
            approves the account.
          </P>
          <Facts rows={[["Account", person]]} />
        </>
      ),
      action: { label: "Review sign-ups", href: portalHref(context, "pendingSignups") },
    };
  },
};
