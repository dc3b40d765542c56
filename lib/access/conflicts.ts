/**
 * API Gateway's rule for usage plans: a key may be in at most one plan per API stage. Plans are
 * compared by the stages they cover, written `apiId/stage` (as subscription rows store them).
 */

export function stageIds(stages: { apiId: string; stage: string }[]): string[] {
  return stages.map((s) => `${s.apiId}/${s.stage}`);
}

/** Whether two plans, given by their stage ids, cover a common API stage (so one key can't hold both). */
export function shareApiStage(a: readonly string[], b: readonly string[]): boolean {
  const stages = new Set(a);
  return b.some((id) => stages.has(id));
}
