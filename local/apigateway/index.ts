import type { SandboxContext } from "../context";
import type { SandboxService } from "../service";

// Placeholder: replaced by the API Gateway control and data plane.
export async function createApiGateway(_ctx: SandboxContext): Promise<SandboxService[]> {
  return [];
}
