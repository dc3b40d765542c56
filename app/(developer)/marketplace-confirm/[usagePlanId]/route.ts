// POST /marketplace-confirm/{usagePlanId} – the fulfillment URL of the original AWS sample portal,
// kept so existing Marketplace listings keep working. The plan comes from the product code.
export { GET, POST } from "@/app/(developer)/marketplace/confirm/route";
