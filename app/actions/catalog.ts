"use server";

import { updateTag } from "next/cache";
import { assertCaller } from "@/lib/auth";
import { TAGS } from "@/lib/constants";

/** Admins: re-read plans, stages and exported specs from API Gateway on the next view. */
export async function refreshCatalogAction() {
  await assertCaller("admin");
  updateTag(TAGS.catalog);
}
