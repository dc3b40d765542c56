// API Gateway applies key and plan changes to calls within seconds, sometimes minutes, not at the
// moment the portal answers: the dashboard says so wherever it tells people when a key starts or
// stops working (e2e/propagation.spec.ts checks each against a sandbox that delays changes as AWS does).
const SOON = "usually within a minute";

export const PROPAGATION = {
  soon: SOON,
  keyCreated: `API Gateway starts accepting a new key ${SOON}: until then, calls with it get 403.`,
  oldKeyStops: `The old key stops working ${SOON}, as API Gateway applies the change.`,
  revoke: `Apps using it get 403 ${SOON}.`,
  unsubscribe: `Your keys stop working with its APIs ${SOON}.`,
  noGrace: `The old key stops working ${SOON}. Use this if the key leaked.`,
} as const;
