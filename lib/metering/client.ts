import { MarketplaceMeteringClient } from "@aws-sdk/client-marketplace-metering";
import { clientConfig } from "../aws/client-config";

export const marketplaceMetering = new MarketplaceMeteringClient(clientConfig);
