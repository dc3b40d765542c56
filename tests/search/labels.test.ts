import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadApiDocument } from "@/lib/openapi";
import { apiDocs, createSearchIndex, firstSentence, guideDoc, plainText, productDoc, querySearchIndex, usefulSnippet, type SearchDoc } from "@/lib/search/hits";

/** The label and snippet rules every consumer of lib/search shows as they are (header, /search, MCP). */

const PETS = { slug: "pets", name: "Pets API", description: "Adopt a pet." };

async function petsDocs(): Promise<SearchDoc[]> {
  const file = "catalog/apis/pets.yaml";
  const document = await loadApiDocument({ file, text: readFileSync(path.join(process.cwd(), file), "utf8") });
  return apiDocs(PETS, document);
}

/** No label says the same thing twice ("API · API"), and no snippet repeats its title. */
function expectReadable(docs: { title: string; label: string; snippet?: string }[]) {
  for (const doc of docs) {
    const parts = doc.label.split(" · ");
    expect(new Set(parts).size, doc.label).toBe(parts.length);
    if (doc.snippet) {
      expect(doc.snippet.toLowerCase(), doc.title).not.toBe(doc.title.toLowerCase());
      expect(doc.title.toLowerCase().includes(doc.snippet.toLowerCase().replace(/[.!?]$/, "")), doc.title).toBe(false);
    }
  }
}

describe("search labels", () => {
  it("labels an operation with its method, path and API, once", async () => {
    const docs = await petsDocs();
    const list = docs.find((doc) => doc.href === "/apis/pets/operations/listpets" || doc.title === "List pets")!;
    expect(list.label).toBe("GET /pets · Pets API");
    expect(list.kind).toBe("operation");
    expectReadable(docs);
  });

  it("labels an API, a plan and a guide with their kind alone", async () => {
    const [api] = await petsDocs();
    expect(api).toMatchObject({ kind: "api", label: "API", title: "Pets API", snippet: "Adopt a pet." });
    expect(productDoc({ slug: "free", name: "Free", summary: "Try the Pets API at no cost." })).toMatchObject({
      label: "Plan",
      snippet: "Try the Pets API at no cost.",
    });
    expect(
      guideDoc({ slug: "start", title: "Getting started", summary: "From sign-up to your first call.", markdown: "# Getting started\n\nHi." }),
    ).toMatchObject({
      label: "Guide",
      snippet: "From sign-up to your first call.",
    });
  });

  it("labels a webhook as one", () => {
    const [, hook] = apiDocs(PETS, {
      operations: new Map([["newpet", { kind: "webhook", method: "post", path: "newPet", slug: "newpet", title: "New pet", tags: [] }]]),
    } as never);
    expect(hook!.label).toBe("Webhook newPet · Pets API");
  });
});

describe("search snippets", () => {
  it("skips a summary that is the title and takes the description's first sentence", () => {
    expect(usefulSnippet("List pets", "List pets. Newest first, 20 a page.", "List pets")).toBe("Newest first, 20 a page.");
    expect(usefulSnippet("List pets", "Lists the pets in the shelter. Newest first.", "List pets")).toBe("Lists the pets in the shelter.");
    expect(usefulSnippet("List pets", undefined, "List pets")).toBeUndefined();
    expect(usefulSnippet("List pets", "list pets", "List Pets.")).toBeUndefined();
  });

  it("never offers a snippet the title already contains", () => {
    expect(usefulSnippet("Pro plan for teams", "Pro plan")).toBeUndefined();
    expect(usefulSnippet("Free", "Free.", "Try the Pets API at no cost.")).toBe("Try the Pets API at no cost.");
  });

  it("takes a plan's description when its summary repeats the name", () => {
    expect(productDoc({ slug: "pro", name: "Pro", summary: "Pro", description: "Higher limits for production apps. Billed monthly." }).snippet).toBe(
      "Higher limits for production apps.",
    );
  });

  it("gives an operation with no description no snippet rather than its title again", async () => {
    const docs = await petsDocs();
    for (const doc of docs.filter((d) => d.kind === "operation")) expect(doc.snippet ?? "").not.toBe(doc.title);
  });

  it("reads Markdown as plain text and cuts a long sentence at a word", () => {
    expect(plainText("## Heading\n\nSee **the** [guide](/guides/x) and `code`.\n\n```js\nx()\n```")).toBe("See the guide and code.");
    expect(firstSentence("One e.g. two. Three.")).toBe("One e.g. two.");
    const long = firstSentence(`${"word ".repeat(60)}end.`);
    expect(long.length).toBeLessThanOrEqual(161);
    expect(long.endsWith("…")).toBe(true);
  });

  it("a guide without a summary starts from its text, not its heading", () => {
    expect(guideDoc({ slug: "g", title: "Errors", markdown: "# Errors\n\nEvery error has a code. More here." }).snippet).toBe("Every error has a code.");
  });
});

describe("search results", () => {
  it("come back labelled and with no repeats", async () => {
    const index = createSearchIndex([...(await petsDocs()), productDoc({ slug: "free", name: "Free", summary: "Try the Pets API at no cost." })]);
    const hits = querySearchIndex(index, "pets", 30);
    expect(hits.length).toBeGreaterThan(2);
    expectReadable(hits);
    expect(hits.every((hit) => !("context" in hit))).toBe(true);
    expect(querySearchIndex(index, "  ", 30)).toEqual([]);
  });
});
