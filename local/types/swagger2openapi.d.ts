declare module "swagger2openapi" {
  export function convertObj(spec: object, options: { patch?: boolean; warnOnly?: boolean }): Promise<{ openapi: object }>;
  const _default: { convertObj: typeof convertObj };
  export default _default;
}
