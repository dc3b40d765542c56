// swagger-parser's two checks, called apart from its `validate` (see load-document.ts). Both throw.
declare module "@apidevtools/swagger-parser/lib/validators/schema.js" {
  export default function validateSchema(api: object): void;
}
declare module "@apidevtools/swagger-parser/lib/validators/spec.js" {
  export default function validateSpec(api: object): void;
}
