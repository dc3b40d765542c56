import type { PlanTerms } from "@/lib/apigateway";

const number = new Intl.NumberFormat("en");
const PERIOD = { DAY: "day", WEEK: "week", MONTH: "month" } as const;

export function formatRate(throttle: PlanTerms["throttle"]): string {
  if (!throttle?.rateLimit) return "No rate limit";
  const burst = throttle.burstLimit ? `, bursts of ${number.format(throttle.burstLimit)}` : "";
  return `${number.format(throttle.rateLimit)} requests/s${burst}`;
}

export function formatQuota(quota: PlanTerms["quota"]): string {
  return quota ? `${number.format(quota.limit)} requests per ${PERIOD[quota.period]}` : "No quota";
}

/** A plan's live terms from API Gateway: throttle, quota and what it covers. */
export function PlanTermsList({ plan, apis }: { plan: PlanTerms; apis: { name: string; stage: string; href?: string }[] }) {
  return (
    <dl className="grid grid-cols-[6.5rem_1fr] gap-x-3 gap-y-1.5 text-sm">
      <dt className="text-zinc-500 dark:text-zinc-400">Rate limit</dt>
      <dd>{formatRate(plan.throttle)}</dd>
      <dt className="text-zinc-500 dark:text-zinc-400">Quota</dt>
      <dd>{formatQuota(plan.quota)}</dd>
      <dt className="text-zinc-500 dark:text-zinc-400">APIs</dt>
      <dd>
        {apis.length === 0
          ? "None yet"
          : apis.map((api, i) => (
              <span key={`${api.name}-${api.stage}`}>
                {i > 0 && ", "}
                {api.href ? (
                  <a href={api.href} className="focus-ring rounded font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-500">
                    {api.name}
                  </a>
                ) : (
                  api.name
                )}{" "}
                <span className="text-zinc-500 dark:text-zinc-400">({api.stage})</span>
              </span>
            ))}
      </dd>
    </dl>
  );
}
