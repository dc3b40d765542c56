// POST /api/try – send one try-it request to an API stage in the catalog, with one of the caller's own keys or, with `team`, one of their team's (named by id; the value stays on the server)
import { NextResponse } from "next/server";
import { z } from "zod";
import { readJson, withCaller } from "@/lib/api/route";
import { getApiDocsOrThrow } from "@/lib/catalog/docs";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/limits/portal";
import { getOperation, type Operation } from "@/lib/openapi";
import { callWithKey } from "@/lib/try-it/call";
import { KeyRefusal, pickKey } from "@/lib/try-it/keys";
import { getRawSpec } from "@/lib/try-it/raw-spec";
import { keyHolderFor, spaceFor } from "@/lib/teams";
import { checkBody, checkParameters, type BodyCheck, type Problem } from "@/lib/try-it/validate";

const requestSchema = z.strictObject(
  {
    api: z.string().min(1).max(100),
    operation: z.string().min(1).max(200),
    pathParams: z.record(z.string(), z.string().max(2_000)).default({}),
    query: z.record(z.string(), z.string().max(2_000)).default({}),
    body: z
      .string()
      .max(64 * 1024, "The request body is limited to 64 KB.")
      .optional(),
    contentType: z.string().max(200).optional(),
    /** One of the caller's keys (by id, as /api/keys lists them); without it, their first key that works here. */
    keyId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,64}$/, "That isn't a key id.")
      .optional(),
    /** The team whose key `keyId` is (a slug of the caller's teams; their role must let them use its keys). */
    team: z.string().max(100).optional(),
    /** false: "Send anyway" (testing an API's error paths): the request goes out as written. */
    validate: z.boolean().default(true),
  },
  // A key value is never taken here (nor an unknown field quietly ignored): a key is chosen by id.
  { error: (issue) => (issue.code === "unrecognized_keys" ? "Choose one of your keys by keyId; key values aren't accepted here." : undefined) },
);

/**
 * What happened to the request before it went out: checked against the spec and fine, sent as
 * written on request, or not checkable (and why). Absent when there was no body.
 */
type Checked = { state: "valid" } | { state: "skipped" } | { state: "unchecked"; reason: string };

export const POST = withCaller(
  "user",
  async (request, caller) => {
    const input = await readJson(request, requestSchema);
    // A team's key calls as the team (its keys, the products it may see); the person must be allowed to use them.
    const holder = input.team === undefined ? caller : keyHolderFor(await spaceFor(caller.user, input.team, "reveal"), caller);
    const { api, document } = await getApiDocsOrThrow(input.api, caller);
    const operation = getOperation(document, input.operation);
    if (!operation || operation.kind !== "operation") throw new AppError("not_found", "There is no such operation.");
    if (api.portal) throw new AppError("bad_request", "Call the Developer API from your own client with a portal token (Dashboard → Tokens).");
    const { invokeUrl } = api;
    if (!invokeUrl) throw new AppError("unavailable", "This API stage has no invoke URL yet.");

    // The key first: without one that works here, nothing else matters (and the reader is told what to do).
    let choice;
    try {
      choice = input.keyId !== undefined || operation.apiKeyRequired ? await pickKey(holder, api, input.keyId, "reader") : undefined;
    } catch (error) {
      if (!(error instanceof KeyRefusal)) throw error;
      return NextResponse.json(
        { error: { code: error.code, message: error.message, reason: error.reason, products: error.products } },
        { status: error.status },
      );
    }

    const sendsBody = input.body !== undefined && input.body !== "" && !["GET", "HEAD"].includes(operation.method.toUpperCase());
    let checked: Checked | undefined = sendsBody ? { state: "skipped" } : undefined;
    if (input.validate) {
      const problems: Problem[] = checkParameters(operation, input.pathParams, input.query);
      if (sendsBody) {
        const result = await checkRequestBody(api, operation, input.contentType ?? "application/json", input.body as string);
        if (result.state === "invalid") problems.push(...result.problems);
        checked = result.state === "unchecked" ? result : { state: "valid" };
      }
      if (problems.length) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        return NextResponse.json(
          { error: { code: "unprocessable", message: `The request doesn't match the API's description (${count}); nothing was sent.`, problems } },
          { status: 422 },
        );
      }
    }

    const result = await callWithKey(
      holder,
      { api: { ...api, invokeUrl }, operation },
      choice,
      {
        pathParams: input.pathParams,
        query: input.query,
        ...(sendsBody ? { body: input.body, contentType: input.contentType ?? "application/json" } : {}),
      },
      { ip: clientIp(request.headers), via: "try-it", checkKeys: "Check your keys on your dashboard" },
    );
    return NextResponse.json({ ...result, ...(checked ? { checked } : {}) }, { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "tryIt" },
);

/** The body against the spec's schema; a spec that can't be read again is "not checked", never a failure. */
async function checkRequestBody(
  api: Parameters<typeof getRawSpec>[0],
  operation: Pick<Operation, "path" | "method">,
  contentType: string,
  body: string,
): Promise<BodyCheck> {
  let spec;
  try {
    spec = await getRawSpec(api);
  } catch {
    return { state: "unchecked", reason: "the API's description couldn't be read for checking" };
  }
  return checkBody(spec, operation, contentType, body);
}
