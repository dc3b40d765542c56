/** The app's view of API Gateway resources (the UI never sees SDK shapes). */
export interface PlanTerms {
  id: string;
  name: string;
  description?: string;
  /** Requests per second and burst, per key. */
  throttle?: { rateLimit?: number; burstLimit?: number };
  quota?: { limit: number; period: "DAY" | "WEEK" | "MONTH"; offset: number };
  apiStages: { apiId: string; stage: string }[];
  productCode?: string;
  tags: Record<string, string>;
}

export interface RestApiSummary {
  id: string;
  name: string;
  description?: string;
  version?: string;
}

export interface ExportedSpec {
  /** The stage's OpenAPI 3 definition as JSON text. */
  text: string;
  /** Where clients call the stage (from the export's `servers`). */
  invokeUrl?: string;
}

export const SDK_TYPES = {
  javascript: { label: "JavaScript", parameters: {} },
  java: { label: "Java", parameters: { serviceName: "Client", javaPackageName: "com.example.client" } },
  android: { label: "Android", parameters: { groupId: "com.example", invokerPackage: "com.example.client", artifactId: "client", artifactVersion: "1.0.0" } },
  objectivec: { label: "Objective-C", parameters: { classPrefix: "API" } },
  swift: { label: "Swift", parameters: { classPrefix: "API" } },
  ruby: { label: "Ruby", parameters: { "service.name": "Client" } },
} as const satisfies Record<string, { label: string; parameters: Record<string, string> }>;

export type SdkType = keyof typeof SDK_TYPES;

/** Own keys only: `toString`, `constructor` and `__proto__` are `in` every object, and would reach GetSdk. */
export const isSdkType = (type: string): type is SdkType => Object.hasOwn(SDK_TYPES, type);
