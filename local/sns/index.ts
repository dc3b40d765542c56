import type { SandboxContext } from "../context";
import type { SandboxService } from "../service";

// Placeholder: replaced by the SNS emulator.
export async function createSns(_ctx: SandboxContext): Promise<SandboxService> {
  return { name: "sns", claims: () => false, handle: () => {}, writeFault: () => {} };
}
