// Framework-free: the dashboard's React components and the docs' Preact islands both use it.

/** What went wrong, as the portal's routes say it (`{ error: { code, message } }`). */
export interface ApiError {
  code: string;
  message: string;
  status: number;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

const NETWORK_MESSAGE = "Couldn't reach the portal. Check your connection and try again.";

function messageOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ...(typeof error?.code === "string" ? { code: error.code } : {}),
    ...(typeof error?.message === "string" && error.message ? { message: error.message } : {}),
  };
}

/**
 * The one way the dashboard talks to the portal's routes: JSON in, JSON out, and every failure
 * turned into a message for people. Same-origin, so the browser sends Origin for the server's check.
 */
export async function apiFetch<T>(url: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "GET",
      credentials: "same-origin",
      cache: "no-store",
      headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch {
    return { ok: false, error: { code: "network", message: NETWORK_MESSAGE, status: 0 } };
  }
  // 204s have no body; error pages from a proxy may not be JSON.
  const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) {
    const { code, message } = messageOf(body);
    return {
      ok: false,
      error: {
        code: code ?? (response.status >= 500 ? "unavailable" : "bad_request"),
        message: message ?? `The portal answered with an error (${response.status}). Try again in a moment.`,
        status: response.status,
      },
    };
  }
  return { ok: true, data: body as T };
}
