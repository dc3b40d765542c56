import { escapeHtml as e } from "../http";

// Server-rendered managed-login pages: plain forms that work without JavaScript.

const STYLE = `
:root{color-scheme:light dark;--bg:#f5f6fa;--card:#fff;--text:#161a23;--muted:#596273;--border:#d3d8e2;--accent:#4338ca;--on-accent:#fff;--danger:#b42318;--danger-bg:#fef3f2}
@media (prefers-color-scheme:dark){:root{--bg:#0e1016;--card:#171a22;--text:#e8eaf0;--muted:#9ba3b4;--border:#2d3241;--accent:#8b93f8;--on-accent:#0e1016;--danger:#fda29b;--danger-bg:#2b1515}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;padding:24px 16px;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:410px}
.card{background:var(--card);border:1px solid var(--border);border-radius:14px;padding:32px;box-shadow:0 1px 2px rgb(0 0 0/.04),0 12px 32px rgb(0 0 0/.07)}
.brand{display:flex;align-items:center;gap:10px;margin:0 0 28px;font-weight:650;font-size:1.05rem}
.logo{width:34px;height:34px;border-radius:9px;background:var(--accent);color:var(--on-accent);display:grid;place-items:center;font-weight:700;text-transform:uppercase}
.badge{margin-left:auto;font-size:.72rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:var(--muted);border:1px solid var(--border);border-radius:999px;padding:2px 8px}
h1{font-size:1.55rem;line-height:1.25;margin:0 0 6px}
.lead{color:var(--muted);margin:0 0 24px}
.field{margin-bottom:18px}
label{display:block;font-weight:550;margin-bottom:6px}
input{width:100%;padding:10px 12px;font:inherit;color:inherit;background:var(--card);border:1px solid var(--border);border-radius:9px}
input:focus{outline:2px solid var(--accent);outline-offset:1px;border-color:var(--accent)}
input[aria-invalid=true]{border-color:var(--danger)}
.hint,.field-error{font-size:.875rem;margin:6px 0 0}
.hint{color:var(--muted)}
.field-error{color:var(--danger);font-weight:500}
.alert{display:flex;gap:8px;background:var(--danger-bg);color:var(--danger);border:1px solid currentColor;border-radius:9px;padding:10px 12px;margin:0 0 20px;font-weight:500}
.alert ul{margin:0;padding-left:18px}
button{width:100%;margin-top:4px;padding:11px 16px;font:inherit;font-weight:650;color:var(--on-accent);background:var(--accent);border:0;border-radius:9px;cursor:pointer}
button:hover{filter:brightness(1.1)}
button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
a{color:var(--accent);font-weight:550}
.alt{text-align:center;margin:22px 0 0;color:var(--muted)}
footer{text-align:center;color:var(--muted);font-size:.8rem;margin-top:18px}
`;

export interface Brand {
  /** The user pool's name, shown as the product name. */
  name: string;
  userPoolId: string;
}

function layout(title: string, brand: Brand | undefined, content: string): string {
  const header = brand
    ? `<p class="brand"><span class="logo" aria-hidden="true">${e(brand.name.slice(0, 1) || "?")}</span>${e(brand.name)}<span class="badge">Sandbox</span></p>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(title)}${brand ? ` · ${e(brand.name)}` : ""}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="card">
${header}
${content}
</div>
<footer>Local sandbox of Amazon Cognito managed login${brand ? ` · user pool ${e(brand.userPoolId)}` : ""}</footer>
</main>
</body>
</html>`;
}

function alert(message: string | string[] | undefined): string {
  if (!message || message.length === 0) return "";
  const body = Array.isArray(message) ? (message.length === 1 ? e(message[0]!) : `<ul>${message.map((m) => `<li>${e(m)}</li>`).join("")}</ul>`) : e(message);
  return `<div class="alert" role="alert" id="form-error"><span aria-hidden="true">!</span><div>${body}</div></div>`;
}

interface FieldOptions {
  name: string;
  label: string;
  type: string;
  autocomplete: string;
  value?: string;
  error?: string;
  hint?: string;
  autofocus?: boolean;
}

function field(f: FieldOptions): string {
  const id = `field-${f.name}`;
  const described = [f.hint ? `${id}-hint` : "", f.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return `<div class="field">
<label for="${id}">${e(f.label)}</label>
<input id="${id}" name="${e(f.name)}" type="${f.type}" autocomplete="${f.autocomplete}" required${f.value ? ` value="${e(f.value)}"` : ""}${f.autofocus ? " autofocus" : ""}${f.error ? ' aria-invalid="true"' : ""}${described ? ` aria-describedby="${described}"` : ""}>
${f.hint ? `<p class="hint" id="${id}-hint">${e(f.hint)}</p>` : ""}${f.error ? `<p class="field-error" id="${id}-error">${e(f.error)}</p>` : ""}
</div>`;
}

export interface SignInPage {
  brand: Brand;
  clientName: string;
  action: string;
  /** Absent when the pool lets only admins create users. */
  signUpHref?: string;
  csrf: string;
  username?: string;
  error?: string;
}

export function signInPage(p: SignInPage): string {
  return layout(
    "Sign in",
    p.brand,
    `<h1>Sign in</h1>
<p class="lead">to continue to ${e(p.clientName)}</p>
${alert(p.error)}
<form method="post" action="${e(p.action)}">
<input type="hidden" name="_csrf" value="${e(p.csrf)}">
${field({ name: "username", label: "Email or username", type: "text", autocomplete: "username", value: p.username, autofocus: !p.username })}
${field({ name: "password", label: "Password", type: "password", autocomplete: "current-password", autofocus: !!p.username })}
<button type="submit">Sign in</button>
</form>
${p.signUpHref ? `<p class="alt">New here? <a href="${e(p.signUpHref)}">Create an account</a></p>` : ""}`,
  );
}

export interface SignUpPage {
  brand: Brand;
  clientName: string;
  action: string;
  signInHref: string;
  csrf: string;
  passwordHint: string;
  values: { email?: string; name?: string };
  error?: string | string[];
  fieldErrors: Partial<Record<"email" | "name" | "password" | "confirm_password", string>>;
}

export function signUpPage(p: SignUpPage): string {
  // Focus the first field to fix, or the first field of a fresh form.
  const focus = (["email", "name", "password", "confirm_password"] as const).find((name) => p.fieldErrors[name]) ?? "email";
  return layout(
    "Create an account",
    p.brand,
    `<h1>Create an account</h1>
<p class="lead">to continue to ${e(p.clientName)}</p>
${alert(p.error)}
<form method="post" action="${e(p.action)}">
<input type="hidden" name="_csrf" value="${e(p.csrf)}">
${field({ name: "email", label: "Email", type: "email", autocomplete: "email", value: p.values.email, error: p.fieldErrors.email, autofocus: focus === "email" })}
${field({ name: "name", label: "Full name", type: "text", autocomplete: "name", value: p.values.name, error: p.fieldErrors.name, autofocus: focus === "name" })}
${field({ name: "password", label: "Password", type: "password", autocomplete: "new-password", hint: p.passwordHint, error: p.fieldErrors.password, autofocus: focus === "password" })}
${field({ name: "confirm_password", label: "Confirm password", type: "password", autocomplete: "new-password", error: p.fieldErrors.confirm_password, autofocus: focus === "confirm_password" })}
<button type="submit">Create account</button>
</form>
<p class="alt">Already have an account? <a href="${e(p.signInHref)}">Sign in</a></p>`,
  );
}

/** A dead end the user cannot fix by retrying (bad client, unregistered redirect…). */
export function messagePage(title: string, message: string, brand?: Brand): string {
  return layout(title, brand, `<h1>${e(title)}</h1>\n<p class="lead" role="alert">${e(message)}</p>`);
}

/** Headers for every hosted page: never cached, never framed. */
export const PAGE_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export interface NewPasswordPage {
  brand: Brand;
  action: string;
  csrf: string;
  challenge: string;
  passwordHint: string;
  error?: string[];
}

/** After a temporary password (AdminCreateUser), managed login asks for a permanent one. */
export function newPasswordPage(p: NewPasswordPage): string {
  return layout(
    "Set a new password",
    p.brand,
    `<h1>Set a new password</h1>
<p class="lead">Your temporary password has to be replaced before you continue.</p>
${alert(p.error)}
<form method="post" action="${e(p.action)}">
<input type="hidden" name="_csrf" value="${e(p.csrf)}">
<input type="hidden" name="challenge" value="${e(p.challenge)}">
${field({ name: "new_password", label: "New password", type: "password", autocomplete: "new-password", hint: p.passwordHint, autofocus: true })}
${field({ name: "confirm_password", label: "Confirm new password", type: "password", autocomplete: "new-password" })}
<button type="submit">Set password and continue</button>
</form>`,
  );
}
