// GET   /api/admin/catalog – every product and API stage in the catalog with its published / SDK switch
// PATCH /api/admin/catalog { planId, published } | { apiId, stage, sdks } (+ optional version) – flip one switch
import { NextResponse } from "next/server";
import { z } from "zod";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { changeCatalog, getAdminCatalogView } from "@/lib/catalog/admin";
import { catalogChangeSchema } from "@/lib/catalog/overrides";

export const GET = withCaller("admin", async () => NextResponse.json(await getAdminCatalogView()));

export const PATCH = withCaller("admin", async (request) => {
  const body = await readJson(request, z.unknown());
  return NextResponse.json(await changeCatalog(parseInput(catalogChangeSchema(body), body)));
});
