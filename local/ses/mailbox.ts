import { escapeHtml as e } from "../http";
import type { StoredMessage } from "./store";

// The sandbox's mailbox: every message SendEmail accepted, newest first. Email content is untrusted:
// text is escaped, and the HTML part renders in a sandboxed iframe (no scripts, no forms, no
// same-origin access) under this page's CSP. Its links open in a new tab (popups may leave the
// sandbox, so an unsubscribe link can be followed) and its images load, as a mail app shows them.

const STYLE = `
:root{color-scheme:light dark;--bg:#f5f6fa;--card:#fff;--text:#161a23;--muted:#596273;--border:#d3d8e2;--accent:#4338ca;--ok:#067647;--warn:#b42318}
@media (prefers-color-scheme:dark){:root{--bg:#0e1016;--card:#171a22;--text:#e8eaf0;--muted:#9ba3b4;--border:#2d3241;--accent:#8b93f8;--ok:#75e0a7;--warn:#fda29b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:960px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:1.6rem;margin:0 0 4px}
.lead{color:var(--muted);margin:0 0 20px}
form{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:0 0 20px}
label{display:block;font-weight:550;margin-bottom:4px}
input{font:inherit;color:inherit;background:var(--card);border:1px solid var(--border);border-radius:8px;padding:8px 10px;min-width:18rem}
button,.button{font:inherit;font-weight:600;color:var(--accent);background:var(--card);border:1px solid var(--accent);border-radius:8px;padding:8px 14px;cursor:pointer;text-decoration:none}
a{color:var(--accent)}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
ol.messages{list-style:none;margin:0;padding:0;display:grid;gap:12px}
details{background:var(--card);border:1px solid var(--border);border-radius:12px}
summary{cursor:pointer;position:relative;list-style:none;padding:14px 16px 14px 36px}
summary::-webkit-details-marker{display:none}
summary::before{content:"\\25B8";position:absolute;left:16px;top:14px;color:var(--muted)}
details[open]>summary::before{content:"\\25BE"}
summary .subject{display:block;font-weight:650;overflow-wrap:anywhere}
summary .meta,summary time{display:block;color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.body{padding:0 16px 16px;border-top:1px solid var(--border)}
h2{font-size:1rem;margin:16px 0 6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:12px 0 0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid var(--border);padding:4px 8px 4px 0;overflow-wrap:anywhere}
th{font-weight:600;white-space:nowrap}
caption{text-align:left;color:var(--muted);padding-bottom:4px}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--border);border-radius:8px;padding:12px;margin:0;font-size:.9rem}
iframe{width:100%;min-height:720px;border:1px solid var(--border);border-radius:8px;background:#fff}
.outcome{font-weight:600}
.outcome.delivered{color:var(--ok)}
.outcome.bounced,.outcome.complained,.outcome.suppressed{color:var(--warn)}
.empty{color:var(--muted)}
`;

/** Headers for the mailbox page: never cached or framed; frames only as srcdoc, which inherits this policy. */
export const MAILBOX_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const OUTCOME_LABEL: Record<string, string> = {
  delivered: "delivered",
  bounced: "bounced",
  complained: "delivered, then complained",
  suppressed: "not sent: on the account's suppression list",
};

function recipients(message: StoredMessage): string {
  return [...message.to, ...message.cc.map((a) => `${a} (cc)`), ...message.bcc.map((a) => `${a} (bcc)`)].join(", ");
}

function messageItem(message: StoredMessage, index: number): string {
  const id = `message-${index}`;
  const outcomes = Object.entries(message.outcomes)
    .map(([address, outcome]) => `<li>${e(address)}: <span class="outcome ${e(outcome)}">${e(OUTCOME_LABEL[outcome] ?? outcome)}</span></li>`)
    .join("");
  const headers = message.headers.map((h) => `<tr><th scope="row">${e(h.name)}</th><td>${e(h.value)}</td></tr>`).join("");
  const tags = message.tags.map((t) => `${e(t.name)}=${e(t.value)}`).join(", ");
  // srcdoc is an attribute: escaping the HTML for it is what keeps it inside the frame.
  const html =
    message.html === undefined
      ? `<p class="empty">No HTML part.</p>`
      : `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="HTML part of the message “${e(message.subject)}”" srcdoc="${e(`<base target="_blank">${message.html}`)}"></iframe>`;
  return `<li>
<details id="${id}">
<summary><span class="subject">${e(message.subject || "(no subject)")}</span><time datetime="${e(message.timestamp)}">${e(message.timestamp.replace("T", " ").slice(0, 19))} UTC</time><span class="meta">From ${e(message.from)} to ${e(recipients(message))}</span></summary>
<div class="body">
<dl>
<dt>From</dt><dd>${e(message.from)}</dd>
<dt>To</dt><dd>${e(recipients(message))}</dd>
${message.replyTo.length ? `<dt>Reply-To</dt><dd>${e(message.replyTo.join(", "))}</dd>` : ""}
<dt>Message ID</dt><dd>${e(message.messageId)}</dd>
${message.configurationSet ? `<dt>Configuration set</dt><dd>${e(message.configurationSet)}</dd>` : ""}
${tags ? `<dt>Tags</dt><dd>${tags}</dd>` : ""}
</dl>
<h2>Delivery</h2>
<ul>${outcomes}</ul>
<h2>Text part</h2>
${message.text === undefined ? `<p class="empty">No text part.</p>` : `<pre>${e(message.text)}</pre>`}
<h2>HTML part</h2>
${html}
<h2>Headers</h2>
<table><caption>Headers as sent, including the request's own (List-Unsubscribe…)</caption><tbody>${headers}</tbody></table>
</div>
</details>
</li>`;
}

export function mailboxPage(messages: StoredMessage[], options: { to?: string; kept: number }): string {
  const filter = options.to?.trim();
  const heading = filter ? `Mail to ${e(filter)}` : "Mailbox";
  const count = `${messages.length} message${messages.length === 1 ? "" : "s"}${filter ? ` to ${e(filter)}` : ""}`;
  const list = messages.length
    ? `<ol class="messages" aria-label="Messages, newest first">${messages.map(messageItem).join("\n")}</ol>`
    : `<p class="empty">No messages${filter ? ` to ${e(filter)}` : ""} yet.</p>`;
  const json = `/_sandbox/ses/messages${filter ? `?to=${encodeURIComponent(filter)}` : ""}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${heading} · Amazon SES sandbox</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${heading}</h1>
<p class="lead">Email sent through the local Amazon SES sandbox, newest first (the last ${options.kept} are kept). <span role="status">${count}.</span></p>
<form method="get" action="/_sandbox/ses/mailbox" role="search">
<div><label for="to">Recipient</label><input id="to" name="to" type="email" autocomplete="off" value="${e(filter ?? "")}" placeholder="someone@example.com"></div>
<button type="submit">Filter</button>
${filter ? `<a class="button" href="/_sandbox/ses/mailbox">Show all</a>` : ""}
<a class="button" href="${e(json)}">JSON</a>
</form>
${list}
</main>
</body>
</html>`;
}
