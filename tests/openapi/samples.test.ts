import { describe, expect, it } from "vitest";
import { buildSamples } from "@/components/docs/samples";
import type { TryItOperation } from "@/lib/openapi/try-it";

const operation = {
  method: "POST",
  path: "/pets/{petId}",
  apiKeyRequired: true,
  parameters: [{ in: "path", name: "petId", required: true, example: '"42"' }],
  bodies: [{ contentType: "application/json", example: '{\n  "name": "Rex",\n  "vaccinated": true\n}' }],
} as unknown as TryItOperation;

describe("code samples", () => {
  it("read the key from the environment by default", () => {
    const { curl, javascript, python } = buildSamples(operation, "https://api.example.com/prod");
    expect(curl).toContain('curl -X POST "https://api.example.com/prod/pets/42"');
    expect(curl).toContain('-H "x-api-key: $API_KEY"');
    expect(javascript).toContain('"x-api-key": process.env.API_KEY');
    expect(python).toContain('headers={"x-api-key": os.environ["API_KEY"]}');
    expect(python).toContain('"vaccinated": True');
  });

  it("write in the developer's own key when one is chosen", () => {
    const { curl, javascript, python } = buildSamples(operation, "https://api.example.com/prod", { kind: "literal", value: "AbCdEfGhIjKlMnOpQrSt1234" });
    expect(curl).toContain('-H "x-api-key: AbCdEfGhIjKlMnOpQrSt1234"');
    expect(javascript).toContain('"x-api-key": "AbCdEfGhIjKlMnOpQrSt1234"');
    expect(python).toContain('headers={"x-api-key": "AbCdEfGhIjKlMnOpQrSt1234"}');
    expect(python).not.toContain("import os");
  });
});
