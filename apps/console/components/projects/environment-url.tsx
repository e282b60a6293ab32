import type { EnvironmentDto } from '@slipway/contracts';

/**
 * An environment's app URL (its reserved host at the edge: `<project>.…` for production,
 * `<project>--<env>.…` for the others), and why it differs from that, when it was renamed.
 */
export function EnvironmentUrl({ environment, label, compact = false }: { environment: Pick<EnvironmentDto, 'name' | 'url' | 'urlNote'>; label?: string; compact?: boolean }) {
  return (
    <span className="inline-flex flex-col">
      <a href={environment.url} target="_blank" rel="noreferrer" aria-label={label} className={`text-blue-700 hover:underline ${compact ? 'text-xs' : ''}`}>
        {compact ? environment.url.replace(/^https?:\/\//, '') : environment.url}
      </a>
      {environment.urlNote ? <span className="text-xs text-amber-700">{environment.urlNote}</span> : null}
    </span>
  );
}
