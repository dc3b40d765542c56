/** Cache tags, defined once: the mutation that changes data revalidates its tag. */
export const TAGS = {
  /** Plan terms, API stages and exported specs from API Gateway. */
  catalog: "catalog",
} as const;

/** The Cognito group whose members are the portal's administrators. */
export const ADMIN_GROUP = "admins";
