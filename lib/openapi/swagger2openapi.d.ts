// Only what lib/openapi uses; merges with any other declaration of the module.
declare module "swagger2openapi" {
  export function convertObj(spec: object, options: { patch?: boolean; warnOnly?: boolean; text?: string }): Promise<{ openapi: object }>;
}
