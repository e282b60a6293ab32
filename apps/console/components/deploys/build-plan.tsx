import type { BuildPlanDto } from '@slipway/contracts';

/** How a release was built (builder, Node version, install/build/start and why), folded away until asked for. */
export function BuildPlan({ plan }: { plan: BuildPlanDto | null }) {
  if (!plan) return null;
  return (
    <details className="mt-1 text-xs text-zinc-600">
      <summary className="cursor-pointer select-none text-zinc-500 hover:text-zinc-800">build plan</summary>
      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 font-mono" aria-label="Build plan">
        {plan.rows.map((row) => (
          <div key={row.label} className="contents">
            <dt className="text-zinc-500">{row.label}</dt>
            <dd className="break-all whitespace-pre-wrap">{row.value}</dd>
          </div>
        ))}
      </dl>
      {plan.warnings.length ? (
        <ul className="mt-1 list-disc pl-4 text-amber-700">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
