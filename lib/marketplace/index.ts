export { customerKeys, type MarketplaceCustomer } from "./customers";
export { applyMarketplaceEvent, fromAgreementEvent, fromSnsRecord, RejectedEvent, type EventOutcome, type MarketplaceEvent } from "./events";
export {
  acceptRegistrationToken,
  forgetLanding,
  LANDING_COOKIE,
  LANDING_MESSAGES,
  LANDING_TTL_SECONDS,
  LandingError,
  readLanding,
  type Landing,
  type LandingProblem,
} from "./landing";
export { activatePurchase, applyStatusToUser } from "./lifecycle";
