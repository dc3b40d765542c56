import { runAs } from "../audit";
import { assertCaller, type Caller } from "../auth/caller";
import { AppError, type ErrorCode } from "../errors";
import { translateThrown } from "./route";

/** What a server action gives its form: nothing when it worked, or the error to show. */
export type ActionState = { error?: { code: ErrorCode; message: string; status: number } };

type SignedIn = Caller & { user: NonNullable<Caller["user"]> };

/**
 * The server-action twin of `withCaller`: resolves the caller, attributes audit entries to them,
 * and turns anything thrown into `{ error }` state for the form (use with `useActionState`). A
 * throw would reach the browser as a 500 digest page; bad input must get a message instead.
 */
export function withAction(role: "user" | "admin", handler: (form: FormData, caller: SignedIn) => Promise<void>) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    try {
      // Actions can be posted by hand with any encoded arguments, not only by their form.
      if (!(form instanceof FormData)) throw new AppError("bad_request", "Send this form from the portal's page.");
      const caller = await assertCaller(role);
      await runAs({ kind: role, id: caller.user.id, email: caller.user.email }, () => handler(form, caller));
      return {};
    } catch (error) {
      const { status, body } = translateThrown(error, "[action]");
      return { error: { ...body.error, status } };
    }
  };
}
