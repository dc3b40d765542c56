import { createHash } from "node:crypto";
import { escapeHtml } from "../http";
import { AGREEMENT_DETAIL_TYPES, AGREEMENT_LABELS, type AgreementDetailType } from "./agreements";
import type { Customer } from "./ledger";
import { NOTIFICATION_ACTIONS, type NotificationAction } from "./notify";

export const DEFAULT_FULFILLMENT_URL = "http://localhost:3000/marketplace/confirm";

const AUTO_SUBMIT = `document.getElementById("fulfil").submit();`;
const AUTO_SUBMIT_HASH = createHash("sha256").update(AUTO_SUBMIT).digest("base64");

/** Headers for every buyer page; the hand-off page adds its one inline script by hash. */
export function pageHeaders(withAutoSubmit = false): Record<string, string> {
  const script = withAutoSubmit ? `script-src 'sha256-${AUTO_SUBMIT_HASH}'` : "script-src 'none'";
  return {
    // No form-action on the hand-off page: the portal may redirect the POST on to another origin (sign-in).
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; ${script}; base-uri 'none'; frame-ancestors 'none'${withAutoSubmit ? "" : "; form-action 'self'"}`,
    "cache-control": "no-store",
    // Not no-referrer: browsers then send `Origin: null` on form posts, which hides where the post came from.
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
  };
}

const STYLE = `
:root { color-scheme: light dark; --fg: #16191f; --bg: #fff; --muted: #545b64; --line: #d5dbdb; --accent: #0b5fb0; --warn: #8a4b00; --err: #b0190b; }
@media (prefers-color-scheme: dark) { :root { --fg: #eaeded; --bg: #16191f; --muted: #aab7b8; --line: #414750; --accent: #6cb4ff; --warn: #ffb35c; --err: #ff8a7a; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { background: #232f3e; color: #fff; padding: .75rem 1.5rem; }
header p { margin: 0; font-weight: 600; }
header .hint { color: #d5dbdb; }
a { color: var(--accent); }
main { max-width: 56rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.lede, .hint { color: var(--muted); }
.hint { font-size: .875rem; margin: .25rem 0 0; }
label { display: block; font-weight: 600; }
.field { margin: 0 0 1rem; }
input[type=text], input[type=url] { width: 100%; padding: .5rem; font: inherit; border: 1px solid var(--muted); border-radius: 4px; background: var(--bg); color: var(--fg); }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 1rem; padding: .5rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.choice { display: flex; gap: .5rem; align-items: baseline; font-weight: 400; margin: .25rem 0; }
button { font: inherit; padding: .5rem 1rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: var(--bg); cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); padding: .25rem .6rem; font-size: .875rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid var(--line); }
code { font-size: .85em; word-break: break-all; }
.actions { display: flex; flex-wrap: wrap; gap: .25rem; align-items: baseline; margin: 0 0 .5rem; }
.actions .via { font-size: .8rem; font-weight: 600; color: var(--muted); min-width: 6.5rem; }
.notice { border-left: 4px solid var(--accent); padding: .5rem 1rem; margin: 1rem 0; }
.notice.warn { border-color: var(--warn); }
.error { border-left: 4px solid var(--err); padding: .5rem 1rem; }
`;

function layout(title: string, body: string, script = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p>AWS Marketplace <span class="hint">(sandbox)</span></p></header>
<main>
${body}
</main>${script}
</body>
</html>`;
}

export interface BuyerPageInput {
  productCode: string;
  fulfillmentUrl: string;
  customers: Customer[];
  notice?:
    | { via: "sns"; action: NotificationAction; messageId: string; delivered: number; topicName: string }
    | { via: "eventbridge"; detailType: AgreementDetailType; eventId: string; delivered: number; outcome?: string };
}

function renderNotice(notice: NonNullable<BuyerPageInput["notice"]>): string {
  const text =
    notice.via === "sns"
      ? `Published <strong>${escapeHtml(notice.action)}</strong> (message <code>${escapeHtml(notice.messageId)}</code>) to <code>${escapeHtml(notice.topicName)}</code>:
${notice.delivered === 0 ? "no subscription on that topic, so nothing received it. Subscribe the listener first." : `${notice.delivered} subscription${notice.delivered === 1 ? "" : "s"}.`}`
      : `Sent <strong>${escapeHtml(notice.detailType)}</strong> (event <code>${escapeHtml(notice.eventId)}</code>) to the default EventBridge bus:
${notice.delivered === 0 ? "there is no <code>functions/marketplace-listener.ts</code> to receive it." : notice.outcome ? `the listener answered <strong>${escapeHtml(notice.outcome)}</strong>.` : "the listener received it."}`;
  return `<div class="notice${notice.delivered === 0 ? " warn" : ""}" role="status">
<p>${text}</p>
</div>`;
}

export function renderBuyerPage({ productCode, fulfillmentUrl, customers, notice }: BuyerPageInput): string {
  const noticeHtml = notice ? renderNotice(notice) : "";
  return layout(
    "AWS Marketplace (sandbox) — simulate a purchase",
    `<h1>AWS Marketplace (sandbox) — simulate a purchase</h1>
<p class="lede">Subscribing here mints a registration token and POSTs it to the seller's fulfillment URL in
<code>x-amzn-marketplace-token</code>, as AWS Marketplace does. The portal resolves it with ResolveCustomer against this sandbox.</p>
${noticeHtml}
<form method="post" action="/buyer/purchase">
<div class="field">
<label for="productCode">Product code</label>
<input type="text" id="productCode" name="productCode" required pattern="[A-Za-z0-9_\\-]{1,128}" value="${escapeHtml(productCode)}" aria-describedby="productCode-hint" autocomplete="off">
<p class="hint" id="productCode-hint">The product code of the API plan in the portal's catalog.</p>
</div>
<div class="field">
<label for="customerAWSAccountId">Buyer AWS account id <span class="hint">(optional)</span></label>
<input type="text" id="customerAWSAccountId" name="customerAWSAccountId" inputmode="numeric" pattern="[0-9]{12}" aria-describedby="account-hint" autocomplete="off">
<p class="hint" id="account-hint">12 digits. Leave empty for a new random buyer; reuse one to purchase again as the same customer.</p>
</div>
<div class="field">
<label for="fulfillmentUrl">Seller fulfillment URL</label>
<input type="url" id="fulfillmentUrl" name="fulfillmentUrl" required value="${escapeHtml(fulfillmentUrl)}">
</div>
<fieldset>
<legend>ResolveCustomer answer</legend>
<label class="choice"><input type="radio" name="identifiers" value="new" checked> New integration: CustomerAWSAccountId and LicenseArn, no CustomerIdentifier</label>
<label class="choice"><input type="radio" name="identifiers" value="legacy"> Legacy integration: CustomerIdentifier filled as well</label>
</fieldset>
<div class="field">
<label class="choice"><input type="checkbox" name="freeTrial" value="on"> Free trial offer (sends <code>x-amzn-marketplace-offer-type=free-trial</code>)</label>
</div>
<button type="submit">Subscribe and continue to the seller</button>
<p class="hint">The seller's page opens in this tab. Come back here afterwards to send AWS Marketplace's notifications for that customer.</p>
</form>
<h2>Notifications</h2>
${customers.length === 0 ? `<p class="lede">No customers yet: subscribe above first.</p>` : notificationsTable(customers, fulfillmentUrl)}`,
  );
}

function notificationsTable(customers: Customer[], fulfillmentUrl: string): string {
  const hidden = (c: Customer) => `<input type="hidden" name="productCode" value="${escapeHtml(c.productCode)}">
<input type="hidden" name="customerIdentifier" value="${escapeHtml(c.customerIdentifier)}">
<input type="hidden" name="fulfillmentUrl" value="${escapeHtml(fulfillmentUrl)}">`;
  // Newest purchase first: the one the owner just made.
  const rows = [...customers]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map(
      (c) => `<tr>
<td><code>${escapeHtml(c.productCode)}</code></td>
<td><code>${escapeHtml(c.customerIdentifier)}</code><br><span class="hint">account <code>${escapeHtml(c.customerAWSAccountId)}</code>${c.legacy ? ", legacy" : ", new integration"}${c.freeTrial ? ", free trial" : ""}</span>
${c.legacy ? "" : `<p class="hint">The seller only learned this buyer's account, so SNS messages (which name the customer identifier) can't reach them: use the EventBridge events.</p>`}</td>
<td><form method="post" action="/buyer/notify" class="actions" aria-label="Send a notification for customer ${escapeHtml(c.customerIdentifier)}">
${hidden(c)}
<span class="via">SNS</span>
${NOTIFICATION_ACTIONS.map((a) => `<button type="submit" class="secondary" name="action" value="${a}">${a}</button>`).join("\n")}
</form>
<form method="post" action="/buyer/notify" class="actions" aria-label="Send an EventBridge event for customer ${escapeHtml(c.customerIdentifier)}">
${hidden(c)}
<input type="hidden" name="via" value="eventbridge">
<span class="via">EventBridge</span>
${AGREEMENT_DETAIL_TYPES.map((t) => `<button type="submit" class="secondary" name="detailType" value="${t}">${AGREEMENT_LABELS[t]}</button>`).join("\n")}
</form></td>
</tr>`,
    )
    .join("\n");
  return `<p class="lede">Send what AWS Marketplace would send about a customer: an SNS message (to <code>aws-mp-subscription-notification-&lt;product code&gt;</code>, or the entitlement topic for entitlement-updated),
or an agreement event (source <code>aws.agreement-marketplace</code>, naming the buyer's account) to the default EventBridge bus. Both reach <code>functions/marketplace-listener.ts</code>.</p>
<table>
<thead><tr><th scope="col">Product</th><th scope="col">Customer</th><th scope="col">Send</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** The hand-off AWS Marketplace performs: a form POST of the token to the seller, never a URL. */
export function renderHandOffPage(input: { fulfillmentUrl: string; token: string; freeTrial: boolean; customer: Customer }): string {
  const target = new URL(input.fulfillmentUrl);
  return layout(
    "AWS Marketplace (sandbox) — continuing to the seller",
    `<h1>Continuing to the seller…</h1>
<p class="lede">Subscribed as customer <code>${escapeHtml(input.customer.customerIdentifier)}</code> (account <code>${escapeHtml(input.customer.customerAWSAccountId)}</code>).
Sending the registration token to <code>${escapeHtml(target.origin)}</code>.</p>
<form id="fulfil" method="post" action="${escapeHtml(input.fulfillmentUrl)}">
<input type="hidden" name="x-amzn-marketplace-token" value="${escapeHtml(input.token)}">
${input.freeTrial ? `<input type="hidden" name="x-amzn-marketplace-offer-type" value="free-trial">\n` : ""}<button type="submit">Continue to ${escapeHtml(target.host)}</button>
</form>`,
    `\n<script>${AUTO_SUBMIT}</script>`,
  );
}

export function renderErrorPage(title: string, message: string): string {
  return layout(
    `AWS Marketplace (sandbox) — ${title}`,
    `<h1>${escapeHtml(title)}</h1>
<div class="error" role="alert"><p>${escapeHtml(message)}</p></div>
<p><a href="/buyer">Back to the buyer page</a></p>`,
  );
}
