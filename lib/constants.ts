/** Cache tags, defined once: the mutation that changes data revalidates its tag. */
export const TAGS = {
  /** Plan terms, API stages and exported specs from API Gateway. */
  catalog: "catalog",
} as const;
