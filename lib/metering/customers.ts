import { ResolveCustomerCommand } from "@aws-sdk/client-marketplace-metering";
import { marketplaceMetering } from "./client";

/** A buyer as AWS Marketplace resolves them: older integrations by customer identifier, newer by account id and license. */
export interface ResolvedCustomer {
  productCode: string;
  customerIdentifier?: string;
  customerAWSAccountId?: string;
  licenseArn?: string;
}

export type TokenProblem = "invalid-token" | "expired-token" | "unavailable";

/** Resolves a buyer's registration token (ResolveCustomer), or says why it can't be. */
export async function resolveCustomer(token: string): Promise<{ customer: ResolvedCustomer } | { problem: TokenProblem; cause?: unknown }> {
  let resolved;
  try {
    resolved = await marketplaceMetering.send(new ResolveCustomerCommand({ RegistrationToken: token }));
  } catch (error) {
    const name = (error as Error).name;
    return { problem: name === "InvalidTokenException" ? "invalid-token" : name === "ExpiredTokenException" ? "expired-token" : "unavailable", cause: error };
  }
  if (!resolved.ProductCode || (!resolved.CustomerIdentifier && !resolved.CustomerAWSAccountId)) return { problem: "invalid-token" };
  return {
    customer: {
      productCode: resolved.ProductCode,
      ...(resolved.CustomerIdentifier ? { customerIdentifier: resolved.CustomerIdentifier } : {}),
      ...(resolved.CustomerAWSAccountId ? { customerAWSAccountId: resolved.CustomerAWSAccountId } : {}),
      ...(resolved.LicenseArn ? { licenseArn: resolved.LicenseArn } : {}),
    },
  };
}
