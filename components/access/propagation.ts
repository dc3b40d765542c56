// API Gateway applies key and plan changes to calls within seconds, sometimes up to a minute, not at
// the moment the portal answers: the dashboard says so wherever it tells people when a key starts or
// stops working (e2e/propagation.spec.ts checks each against a sandbox with SANDBOX_PROPAGATION_MS).
export const PROPAGATION = {
  keyCreated: "API Gateway starts accepting a new key within about a minute: until then, calls with it get 403.",
  oldKeyStops: "The old key stops working within about a minute, as API Gateway applies the change.",
  revoke: "Apps using it get 403 within about a minute.",
  unsubscribe: "Your keys stop working with its APIs within about a minute.",
  noGrace: "The old key stops working within about a minute. Use this if the key leaked.",
} as const;
