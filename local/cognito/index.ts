import type { SandboxContext } from "../context";
import type { SandboxService } from "../service";

// Placeholder: replaced by the Cognito emulator (cognito-local + hosted login).
export async function createCognito(_ctx: SandboxContext): Promise<SandboxService> {
  return { name: "cognito-idp", claims: () => false, handle: () => {}, writeFault: () => {} };
}
