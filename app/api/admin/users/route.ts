// GET /api/admin/users?q=&status=&page= – the user directory, searched and paged (no control-plane calls)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { adminInputs, listUsers } from "@/lib/users";

export const GET = withCaller("admin", async (request) => {
  const query = parseInput(adminInputs.userList, Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json(await listUsers(query), { headers: { "Cache-Control": "private, no-store" } });
});
