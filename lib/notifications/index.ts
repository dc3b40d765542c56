// Notices by email and signed webhooks: what routes and pages use (lib/outbox/events.ts lists what is told;
// the notifier job imports ./notifier itself, which alone sends email).
import { z } from "zod";
export { CATEGORIES, CATEGORY_NAMES, CHANNELS, NOTICE_TYPES, type Category, type Channel, type Notice, type NoticeType } from "../outbox/events";
export { DEFAULT_PREFERENCES, preferencesInput, preferencesRequest, readPreferences, updatePreferences, type Preferences } from "./preferences";
export {
  changeEndpoint,
  createEndpoint,
  deleteEndpoint,
  endpointChange,
  endpointInput,
  listEndpoints,
  MAX_ENDPOINTS,
  rotateEndpointSecret,
  type EndpointView,
} from "./endpoints";
export { listDeliveries, type DeliveryView } from "./deliveries";
export { sendTestEvent } from "./test-event";
export { unsubscribe, unsubscribeInput, unsubscribeUrl, verifyUnsubscribe } from "./unsubscribe";
export { emailedTo, emailSettings } from "./email-settings";

/** An endpoint id in a URL, as createEndpoint makes them. */
export const endpointId = z.string().regex(/^ep_[\w-]{1,40}$/, "That isn't a webhook endpoint id.");

export const deliveriesQuery = z.strictObject({ cursor: z.string().max(2_000).optional() });
