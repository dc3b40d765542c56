export { DISTRIBUTION_ENV } from "./docs-cache";
export { invalidateDocs, type InvalidationResult } from "./invalidate";
