import type { SandboxContext } from "../context";
import type { SandboxService } from "../service";

// Placeholder: replaced by the Marketplace Metering emulator.
export async function createMarketplace(_ctx: SandboxContext): Promise<SandboxService> {
  return { name: "aws-marketplace", claims: () => false, handle: () => {}, writeFault: () => {} };
}
