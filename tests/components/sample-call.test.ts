import { describe, expect, it } from "vitest";
import { sampleCall } from "@/lib/dashboard/sample-call";
import { firstCallCommand } from "@/components/access/usage-details";
import { loadApiDocument } from "@/lib/openapi/load-document";
import { source } from "../openapi/helpers";
import { ANSI_C_SHELLS, argvOf, HOSTILE, nothingRan } from "./hostile-values";

const URL = "https://abc123.execute-api.us-east-1.amazonaws.com/prod";
const callFor = async (file: string) => sampleCall(URL, (await loadApiDocument(source(file))).operations.values());

describe("the usage panel's first call", () => {
  it("reaches a real operation: a GET without path parameters, required query parameters from their examples", async () => {
    expect(await callFor("catalog/apis/pets.yaml")).toEqual({ method: "GET", url: `${URL}/pets` });
    expect(await callFor("catalog/apis/weather.yaml")).toEqual({ method: "GET", url: `${URL}/current?city=Lisbon` });
  });

  it("falls back to the first operation with {placeholders}, and to the stage's URL when there is none", async () => {
    const doc = await loadApiDocument({
      file: "only-paths.yaml",
      text: "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /orders/{orderId}:\n    delete:\n      parameters: [{ name: orderId, in: path, required: true, schema: { type: string } }]\n      responses: { '204': { description: gone } }\n",
    });
    expect(sampleCall(`${URL}/`, doc.operations.values())).toEqual({ method: "DELETE", url: `${URL}/orders/{orderId}` });
    expect(sampleCall(URL, [])).toEqual({ method: "GET", url: URL });
  });
});

describe("the usage panel's curl command", () => {
  // The URL holds control characters, which shellQuote writes as $'…': not read by dash or fish.
  it.each(ANSI_C_SHELLS)("passes the method and URL as they are, running nothing else, in %s", (shell) => {
    const url = `${URL}/${HOSTILE.join("")}`;
    expect(argvOf(shell, firstCallCommand({ method: "GET", url }))).toEqual(["-H", "x-api-key: YOUR_KEY", Buffer.from(url.replaceAll("\0", "")).toString()]);
    expect(argvOf(shell, firstCallCommand({ method: "DELETE", url: `${URL}/orders/{orderId}` }))).toEqual([
      "-X",
      "DELETE",
      "-H",
      "x-api-key: YOUR_KEY",
      `${URL}/orders/{orderId}`,
    ]);
    nothingRan();
  });
});
