import { badRequest } from "./errors";

/**
 * A page size from `limit`. AWS documents "default 25, maximum 500" but does not reject values
 * outside 1–500 (an AWS-recorded LocalStack snapshot has GetApiKeys with limit=-1 answering 200, and
 * the AWS sample portal sends limit=1000 on every list): above 500 pages hold 500; below 1 (what AWS
 * does there is undocumented) they hold the default. Only a non-number, which no SDK can send, is 400.
 */
export function pageSize(limitText: string | null): number {
  if (limitText === null || limitText === "") return 25;
  const limit = Number(limitText);
  if (!Number.isInteger(limit)) throw badRequest(`Invalid limit '${limitText}': expected an integer`);
  return limit < 1 ? 25 : Math.min(limit, 500);
}

/** One page of a list operation: `item` on the wire, and `position` (an opaque offset) when more follow. */
export function listPage<T>(items: T[], query: URLSearchParams): { item: T[]; position?: string } {
  const limit = pageSize(query.get("limit"));
  const position = query.get("position");
  let offset = 0;
  if (position) {
    offset = Number(Buffer.from(position, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) throw badRequest("Invalid position parameter");
  }
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString("base64url") : undefined;
  return { item: items.slice(offset, offset + limit), ...(next ? { position: next } : {}) };
}
