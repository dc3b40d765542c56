"use client";

import { PROPAGATION } from "./propagation";
import { useRouter } from "next/navigation";
import { useId, useRef, type FormEvent } from "react";
import type { PlanOffer, SubscriptionView } from "@/lib/access/types";
import { nameList } from "@/lib/text";
import { ErrorAlert } from "./error-alert";
import { BUTTON, PRIMARY_BUTTON } from "./styles";
import { useSpaceUrl } from "./space";
import { useApiCall } from "./use-api-call";

/** What a button can do: subscribe (or ask for access), or switch, which ends `ends`. */
export type SubscribeOffer = Extract<PlanOffer, { kind: "subscribe" | "switch" }>;

/**
 * Subscribe, request access (plans the API team approves) or switch, as lib/access offers it. A
 * switch ends other plans, so it first opens a dialog naming every one of them, and only its
 * confirm button sends the request, with those plans: the server refuses a switch that would end
 * one the user wasn't shown.
 */
export function SubscribeButton({ product, offer }: { product: { slug: string; name: string }; offer: SubscribeOffer }) {
  const id = useId();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const { call, pending, error } = useApiCall();
  const spaceUrl = useSpaceUrl();
  const { name } = product;
  const ends = offer.kind === "switch" ? offer.ends : [];
  const endNames = nameList(ends.map((e) => e.productName));
  const them = ends.length > 1 ? "them" : "it";

  async function send() {
    const result = await call<{ subscription: SubscriptionView }>(spaceUrl("/api/subscriptions"), {
      method: "POST",
      body: { product: product.slug, ...(offer.kind === "switch" ? { ends: ends.map((e) => e.planId) } : {}) },
    });
    // The user's plans changed since this page was drawn: show the offer as it stands now.
    if (!result.ok && result.error.status === 409) router.refresh();
  }

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    dialog.current?.close();
    void send();
  }

  if (offer.kind === "subscribe") {
    return (
      <div className="flex flex-col items-start gap-2">
        <button type="button" onClick={send} disabled={pending} className={PRIMARY_BUTTON}>
          {pending ? (offer.approval ? "Sending request…" : "Subscribing…") : offer.approval ? `Request access to ${name}` : `Subscribe to ${name}`}
        </button>
        {offer.approval && <p className="text-sm text-zinc-600 dark:text-zinc-400">The API team reviews requests for this plan.</p>}
        <ErrorAlert error={error} />
      </div>
    );
  }

  return (
    <div className="flex flex-col items-start gap-2">
      <button ref={trigger} type="button" onClick={() => dialog.current?.showModal()} disabled={pending} aria-haspopup="dialog" className={PRIMARY_BUTTON}>
        {pending ? (offer.approval ? "Sending request…" : "Switching…") : `Switch to ${name}…`}
      </button>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {offer.approval
          ? `Once the API team approves, this ends ${endNames} and your keys move to ${name}.`
          : `Ends ${endNames}: your keys move to ${name}, ${PROPAGATION.soon}.`}
      </p>
      <ErrorAlert error={error} />
      {/* Escape or Cancel closes it; focus goes back to the button that opened it. */}
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        onClose={() => trigger.current?.focus()}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form onSubmit={confirm} className="flex flex-col gap-4 p-5">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            Switch to {name}?
          </h2>
          <div id={`${id}-body`} className="flex flex-col gap-2 text-sm text-zinc-700 dark:text-zinc-300">
            {offer.approval ? (
              <>
                <p>
                  Switching to {name} ends {endNames} once the API team approves: your keys then leave {them} and move to {name}.
                </p>
                <p>Until then, nothing changes.</p>
              </>
            ) : (
              <p>
                Switching to {name} ends {endNames}: your keys leave {them} and move to {name}.
              </p>
            )}
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            {/* showModal() focuses the first control: Cancel, the safe choice. */}
            <button type="button" onClick={() => dialog.current?.close()} className={BUTTON}>
              Cancel
            </button>
            <button type="submit" className="focus-ring rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700">
              {offer.approval ? `Request switch to ${name}` : `Switch to ${name}`}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
