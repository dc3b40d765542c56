// GET/POST /api/auth/* – Auth.js (sign-in, callback, sign-out, session)
import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;
