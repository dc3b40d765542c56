import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeCursor, encodeCursor, INVALID_CURSOR, keyPart } from "@/lib/db/cursor";
import { AppError } from "@/lib/errors";

const shape = z.strictObject({ pk: z.literal("AUDIT"), sk: keyPart });
const b64 = (text: string) => Buffer.from(text).toString("base64url");

describe("page cursors", () => {
  it("round-trip the key they were made from", () => {
    const key = { pk: "AUDIT", sk: "2024-01-01T00:00:00.000Z#abc" };
    expect(decodeCursor(encodeCursor(key), shape)).toEqual(key);
    expect(decodeCursor(undefined, shape)).toBeUndefined();
    expect(decodeCursor("", shape)).toBeUndefined();
  });

  it.each([
    ["not base64", "!!!"],
    ["a percent sign", "%25"],
    ["base64 of text", b64("not json")],
    ["base64 of null", b64("null")],
    ["base64 of an array", b64("[]")],
    ["the partition without a sort key", "eyJwayI6ICJBVURJVCJ9"],
    ["a number for the sort key", b64('{"pk":"AUDIT","sk":5}')],
    ["an empty sort key", b64('{"pk":"AUDIT","sk":""}')],
    ["an extra attribute", b64('{"pk":"AUDIT","sk":"x","GSI1PK":"AUDIT#someone"}')],
    ["another partition", b64('{"pk":"USER#u1","sk":"USER#u1"}')],
    ["a prototype key", b64('{"__proto__":{"pk":"AUDIT","sk":"x"}}')],
    ["too long", "A".repeat(5_000)],
  ])("refuse %s with a 400 and a message", (_, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, shape);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: "bad_request", message: INVALID_CURSOR });
  });
});
