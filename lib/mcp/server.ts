import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { getPlanUsage, listKeys, listSubscriptions, resourceId, revealKey } from "../access";
import { requireScope, tokenActor } from "../api/route";
import { runAs } from "../audit";
import { markdownFor, siteUrl } from "../catalog/markdown";
import { getCatalog, getCatalogFor } from "../catalog/read";
import type { Viewer } from "../catalog/types";
import { callOperation } from "./call";
import { listApisFor, listProductsFor } from "../consumer/views";
import { AppError, toErrorBody } from "../errors";
import { enforcePortalLimit } from "../limits/portal";
import { search } from "../search";
import { keyHolderFor, revealTeamKey, tokenSpace, type Space } from "../teams";
import type { TokenCaller, TokenScope } from "../tokens";

/**
 * The portal's MCP server (Streamable HTTP at /mcp, stateless: a server per request). Anyone may
 * search and read the docs; a portal token adds the developer's own keys, plans and usage, and
 * calling an operation with one of their keys. Every result is bounded (lists page with `cursor`,
 * text with `offset`); a refusal is a tool error with the portal's own message, and changes nothing.
 */

export const MCP_SERVER_NAME = "portico";
/** The most text one tool result carries; longer pages continue at `offset`. */
export const MAX_RESULT_CHARS = 20_000;
const PAGE_SIZE = 50;
const MAX_USAGE_KEYS = 10;
/** An API's answer in call_operation's result, leaving room for its status, headers and explanation. */
const MAX_CALL_BODY_CHARS = 12_000;

export interface McpContext {
  /** The token's owner, or undefined for an anonymous client (docs tools only). */
  caller?: TokenCaller;
  ip: string;
}

/** Whom a token's tool acts for: the person, in their own space or a team's (checked against their role for the tool's scope). */
interface Agent {
  caller: TokenCaller;
  space: Space;
}

const ANONYMOUS: Viewer = { isAdmin: false, user: null };

const text = (value: string, extra: Partial<CallToolResult> = {}): CallToolResult => ({ content: [{ type: "text", text: value }], ...extra });
/** A JSON result (and its text, for clients that read only text), never longer than a result may be. */
function json(value: Record<string, unknown>): CallToolResult {
  const serialized = JSON.stringify(value);
  if (serialized.length > MAX_RESULT_CHARS)
    throw new AppError("bad_request", "That answer is too long for one result: narrow the question (a shorter range, one plan).");
  return text(serialized, { structuredContent: value });
}

/** A tool refusal: the message people read on the portal, never an internal error's text. */
function refusal(error: unknown): CallToolResult {
  const { status, body } = toErrorBody(error);
  if (status >= 500 && status !== 503) console.error("[mcp]", error);
  const retry = body.error.retryAfterSeconds !== undefined ? ` (retry after ${body.error.retryAfterSeconds} s)` : "";
  return text(`${body.error.message}${retry}`, { isError: true, structuredContent: { error: body.error } });
}

/** A slice of `items` from `cursor` (a position), and the next cursor if there is more. */
function page<T>(items: T[], cursor: string | undefined): { items: T[]; nextCursor?: string } {
  const start = cursor === undefined ? 0 : /^\d{1,9}$/.test(cursor) ? Number(cursor) : Number.NaN;
  if (Number.isNaN(start)) throw new AppError("bad_request", "That cursor isn't one this server gave out.");
  const slice = items.slice(start, start + PAGE_SIZE);
  return { items: slice, ...(start + PAGE_SIZE < items.length ? { nextCursor: String(start + PAGE_SIZE) } : {}) };
}

/** A window of a long text from `offset`, with where it goes on. */
export function window(full: string, offset = 0): CallToolResult {
  if (offset > full.length) throw new AppError("bad_request", `offset is past the end (${full.length} characters).`);
  const end = Math.min(full.length, offset + MAX_RESULT_CHARS);
  const more = end < full.length ? `\n\n… continues: call again with offset=${end} (of ${full.length} characters).` : "";
  return text(full.slice(offset, end) + more);
}

const cursor = z.string().max(20).optional().describe("From the previous page's nextCursor.");
const offset = z.number().int().min(0).max(10_000_000).optional().describe("Where to continue a long page (from the previous result).");
const slug = (what: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/?#\s]+$/, `A ${what} slug, as in the docs URL.`);

export function createMcpServer(context: McpContext): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, title: "Portico developer portal", version: "1.0.0" },
    {
      instructions:
        "Docs tools (search_docs, list_apis, list_products, read_operation, read_page) work without a token. " +
        "With a portal token: list_my_keys, list_my_subscriptions, get_usage (read), reveal_key (manage), call_operation (call) — calls use the token's keys (the developer's own, or their team's for a team token) and count against that plan.",
    },
  );
  /**
   * Runs a tool for a token with `scope` (or anyone, when undefined), as that person, in the
   * token's space; `viewer` is who the docs are shown to (a team's token: the team).
   */
  function tool<A>(scope: TokenScope | undefined, run: (args: A, agent: Agent & { viewer: Viewer }) => Promise<CallToolResult>) {
    return async (args: A): Promise<CallToolResult> => {
      try {
        const caller = context.caller;
        if (scope) {
          if (!caller)
            throw new AppError("unauthorized", "This tool needs a portal token: connect with `Authorization: Bearer ptk_…` (create one on your dashboard).");
          requireScope(caller, scope);
        }
        const space = caller ? await tokenSpace(caller, scope ?? "read") : undefined;
        const viewer: Viewer = space?.team ? space.viewer : (caller ?? ANONYMOUS);
        return await runAs(caller ? tokenActor(caller) : { kind: "system", id: "mcp" }, () => run(args, { caller: caller!, space: space!, viewer }));
      } catch (error) {
        return refusal(error);
      }
    };
  }

  const readOnly = { readOnlyHint: true, openWorldHint: false };

  server.registerTool(
    "search_docs",
    {
      title: "Search the docs",
      description: "Full-text search over the API docs, products and guides you may see. Each hit has a Markdown URL to read with read_page.",
      inputSchema: { query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(30).optional() },
      annotations: readOnly,
    },
    tool(undefined, async ({ query, limit }: { query: string; limit?: number }, { viewer }) => {
      const site = siteUrl();
      const hits = (await search(query, viewer, limit ?? 10)).map((hit) => ({ ...hit, markdown: `${site}${hit.href}.md` }));
      return json({ hits });
    }),
  );

  server.registerTool(
    "list_apis",
    {
      title: "List APIs",
      description: "The APIs in the catalog you may see: base URL, the products (plans) that include them, docs and Markdown links.",
      inputSchema: { cursor },
      annotations: readOnly,
    },
    tool(undefined, async ({ cursor: from }: { cursor?: string }, { viewer }) => {
      const { items, nextCursor } = page(await listApisFor(viewer), from);
      return json({ apis: items, ...(nextCursor ? { nextCursor } : {}) });
    }),
  );

  server.registerTool(
    "list_products",
    {
      title: "List products",
      description: "The products (usage plans) you may subscribe to: throttle, quota, approval, and the APIs each includes.",
      inputSchema: { cursor },
      annotations: readOnly,
    },
    tool(undefined, async ({ cursor: from }: { cursor?: string }, { viewer }) => {
      const { items, nextCursor } = page(await listProductsFor(viewer), from);
      return json({ products: items, ...(nextCursor ? { nextCursor } : {}) });
    }),
  );

  server.registerTool(
    "read_operation",
    {
      title: "Read an operation",
      description:
        "One API operation's reference in Markdown: method, path, parameters, request and response schemas, examples, auth, base URL and plan limits.",
      inputSchema: { api: slug("API"), operation: slug("operation"), offset },
      annotations: readOnly,
    },
    tool(undefined, async ({ api, operation, offset: from }: { api: string; operation: string; offset?: number }, { viewer }) =>
      window(await markdownFor(["apis", api, "operations", operation], viewer), from),
    ),
  );

  server.registerTool(
    "read_page",
    {
      title: "Read a docs page",
      description:
        "Any docs page as Markdown, by its path or URL: /apis/<api>, /apis/<api>/tags/<tag>, /apis/<api>/operations/<op>, /guides/<guide>, /products/<product> (a trailing .md is fine).",
      inputSchema: { path: z.string().min(1).max(1_000), offset },
      annotations: readOnly,
    },
    tool(undefined, async ({ path, offset: from }: { path: string; offset?: number }, { viewer }) => {
      let pathname = path.trim();
      if (/^https?:\/\//i.test(pathname)) {
        if (!URL.canParse(pathname)) throw new AppError("bad_request", "That isn't a valid URL.");
        const url = new URL(pathname);
        if (url.origin !== new URL(siteUrl()).origin) throw new AppError("bad_request", "That page isn't on this portal.");
        pathname = url.pathname;
      }
      const segments = pathname
        .replace(/\.md$/, "")
        .split("/")
        .filter(Boolean)
        .map((s) => {
          try {
            return decodeURIComponent(s);
          } catch {
            throw new AppError("bad_request", "That path isn't valid.");
          }
        });
      return window(await markdownFor(segments, viewer), from);
    }),
  );

  server.registerTool(
    "list_my_keys",
    {
      title: "List my API keys",
      description: "Your API keys: id, name, state, last four characters. Never their values (see reveal_key). Needs a token.",
      inputSchema: {},
      annotations: readOnly,
    },
    tool("read", async (_args: Record<string, never>, { space }) => json({ keys: await listKeys(space.owner.id) })),
  );

  server.registerTool(
    "list_my_subscriptions",
    {
      title: "List my plans",
      description: "Your subscriptions (active, pending approval, …) with each plan's throttle and quota. Needs a token.",
      inputSchema: {},
      annotations: readOnly,
    },
    tool("read", async (_args: Record<string, never>, { space, viewer }) => {
      const [subscriptions, products] = await Promise.all([listSubscriptions(space.owner.id), getCatalogFor(viewer)]);
      const terms = new Map(products.products.map((p) => [p.plan.id, p.plan]));
      return json({
        subscriptions: subscriptions.map((s) => {
          const plan = terms.get(s.planId);
          return {
            ...s,
            ...(plan?.throttle ? { throttle: plan.throttle } : {}),
            ...(plan?.quota ? { quota: { limit: plan.quota.limit, period: plan.quota.period } } : {}),
          };
        }),
      });
    }),
  );

  server.registerTool(
    "get_usage",
    {
      title: "Get my usage",
      description:
        "Your daily requests in one plan, per key, with the quota, how much of it is used and when it resets. `plan` is a plan id or product slug. Needs a token.",
      inputSchema: { plan: z.string().min(1).max(200), days: z.union([z.literal(7), z.literal(30), z.literal(90)]).optional() },
      annotations: readOnly,
    },
    tool("read", async ({ plan, days }: { plan: string; days?: 7 | 30 | 90 }, { space, viewer }) => {
      const products = (await getCatalog()).products;
      const product = products.find((p) => p.plan.id === plan) ?? (await getCatalogFor(viewer)).products.find((p) => p.slug === plan);
      if (!product && !resourceId.safeParse(plan).success)
        throw new AppError("bad_request", "Name the plan by its id or its product's slug (see list_my_subscriptions).");
      const planId = product?.plan.id ?? plan;
      const usage = await getPlanUsage(space.owner.id, planId, days ?? 7, { plan: product?.plan });
      // Keys long gone with no requests in the range say nothing; of the rest, at most MAX_USAGE_KEYS.
      const keys = usage.keys.filter((k) => k.status !== "gone" || k.days.some((d) => d.used > 0));
      return json({ ...usage, keys: keys.slice(0, MAX_USAGE_KEYS), ...(keys.length > MAX_USAGE_KEYS ? { keysLeftOut: keys.length - MAX_USAGE_KEYS } : {}) });
    }),
  );

  server.registerTool(
    "reveal_key",
    {
      title: "Reveal a key's value",
      description: "The full value of one of your API keys. Needs a token with the manage scope; every reveal reads API Gateway and is rate limited.",
      inputSchema: { keyId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, "A key id from list_my_keys.") },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool("manage", async ({ keyId }: { keyId: string }, { caller, space }) => {
      await enforcePortalLimit("liveReads", { ip: context.ip, userId: caller.user.id, isAdmin: caller.isAdmin });
      // A team key's reveal is audited with who, and remembered for rotation when they leave.
      return json({ keyId, value: space.team ? await revealTeamKey(space.team, keyId, caller.user) : await revealKey(space.owner.id, keyId) });
    }),
  );

  const parameters = z.record(z.string().max(100), z.string().max(2_000)).refine((r) => Object.keys(r).length <= 50, "At most 50 parameters.");
  server.registerTool(
    "call_operation",
    {
      title: "Call an API operation",
      description:
        "Calls one operation of a catalog API with one of your keys, through the portal, as try-it does: only the catalog's API stages, only the operation's own path. " +
        "It counts against your plan like any call with that key; a 403 or 429 comes with why (not subscribed, throttled, or quota used up and when it resets). Needs a token with the call scope.",
      inputSchema: {
        api: slug("API"),
        operation: slug("operation"),
        keyId: z
          .string()
          .regex(/^[A-Za-z0-9]{1,64}$/, "A key id from list_my_keys.")
          .optional()
          .describe("Which of your keys; by default one that works with this API."),
        pathParams: parameters.optional(),
        query: parameters.optional(),
        body: z
          .string()
          .max(64 * 1024, "The request body is limited to 64 KB.")
          .optional(),
        contentType: z.string().max(200).optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    },
    tool(
      "call",
      async (
        args: {
          api: string;
          operation: string;
          keyId?: string;
          pathParams?: Record<string, string>;
          query?: Record<string, string>;
          body?: string;
          contentType?: string;
        },
        { caller, space },
      ) => {
        const holder = keyHolderFor(space, caller);
        const result = await callOperation(holder, { ...args, pathParams: args.pathParams ?? {}, query: args.query ?? {} }, context.ip);
        const body =
          result.body.length > MAX_CALL_BODY_CHARS ? `${result.body.slice(0, MAX_CALL_BODY_CHARS)}\n… (cut at ${MAX_CALL_BODY_CHARS} characters)` : result.body;
        const summary = { ...result, body, truncated: result.truncated || body.length < result.body.length };
        return { ...json(summary), ...(result.status >= 400 ? { isError: true } : {}) };
      },
    ),
  );

  return server;
}
