'use client';

import {
  DEFAULT_FALLBACK_ON,
  DEFAULT_RETRY_BUDGET,
  MOCK_PROVIDER,
  MOCK_PROVIDER_LABEL,
  type EffectiveRoutingDto,
  type GatewayRoute,
} from '@slipway/contracts';
import Link from 'next/link';
import { aliasesOf, parseRouting, usesMock } from '../../lib/gateway';
import { Notice } from '../ui/alert';
import { Badge, Section } from '../ui/layout-bits';
import { ResourceState, type QueryView } from '../ui/resource-state';
import { Table, Td } from '../ui/table';

/** What the environment's apps get when they ask for a model alias, and which release or default decided it. */
export function RoutingSection({
  org,
  project,
  env,
  routing,
}: {
  org: string;
  project: string;
  env: string;
  routing: QueryView<EffectiveRoutingDto>;
}) {
  return (
    <Section
      title={`Routing of ${env}`}
      description="Each alias tries its routes in order; a later route answers only when an earlier one fails before the first byte."
    >
      <ResourceState query={routing} what="environment">
        {(r) => <Routing org={org} project={project} env={env} routing={r} />}
      </ResourceState>
    </Section>
  );
}

function Routing({ org, project, env, routing }: { org: string; project: string; env: string; routing: EffectiveRoutingDto }) {
  const config = parseRouting(routing.config);
  const aliases = aliasesOf(config);
  const limits = Object.entries(config.limits ?? {}).filter(([, l]) => l !== undefined);
  return (
    <div className="flex flex-col gap-3">
      <p aria-label="Routing source" className="flex flex-wrap items-center gap-2 text-sm text-zinc-700">
        <span>From</span>
        <Source org={org} project={project} env={env} from={routing.from} />
      </p>
      {usesMock(config) ? (
        <Notice tone="warning">
          <strong>{MOCK_PROVIDER_LABEL}.</strong> Routes on <code className="font-mono">mock</code> answer offline with canned text. Add a
          provider with real credentials to route to real models.
        </Notice>
      ) : null}
      <Table label={`Routing of ${env}`} head={['Alias', 'Routes, in order', 'Falls back on']}>
        {aliases.map((a) => (
          <tr key={a.alias} aria-label={a.alias}>
            <Td className="font-mono font-medium">{a.alias}</Td>
            <Td>
              <ol className="flex flex-wrap items-center gap-1.5">
                {a.routes.map((r, i) => (
                  <li key={i} className="flex items-center gap-1.5">
                    {i > 0 ? (
                      <span aria-hidden className="text-zinc-400">
                        →
                      </span>
                    ) : null}
                    <RouteChip route={r} />
                  </li>
                ))}
              </ol>
            </Td>
            <Td className="text-xs text-zinc-600">{(a.fallbackOn ?? DEFAULT_FALLBACK_ON).join(', ') || 'never'}</Td>
          </tr>
        ))}
      </Table>
      <p className="text-xs text-zinc-500">
        Retry budget: {Math.round((config.retryBudget ?? DEFAULT_RETRY_BUDGET) * 100)} % of requests
        {limits.length > 0
          ? ` · Rate limits: ${limits
              .map(
                ([who, l]) =>
                  `per ${who} ${[l?.requestsPerMinute ? `${l.requestsPerMinute} req/min` : '', l?.tokensPerMinute ? `${l.tokensPerMinute} tokens/min` : ''].filter(Boolean).join(', ')}`,
              )
              .join('; ')}`
          : ' · No rate limits'}
      </p>
    </div>
  );
}

function RouteChip({ route }: { route: GatewayRoute }) {
  const extras = [
    route.weight !== undefined ? `weight ${route.weight}` : '',
    route.maxAttempts !== undefined ? `${route.maxAttempts} attempts` : '',
    route.timeouts?.firstByteMs !== undefined ? `first byte ${route.timeouts.firstByteMs} ms` : '',
  ].filter(Boolean);
  const mock = route.provider === MOCK_PROVIDER;
  return (
    <span
      title={mock ? MOCK_PROVIDER_LABEL : undefined}
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 font-mono text-xs ${mock ? 'border-amber-200 bg-amber-50 text-amber-900' : 'border-zinc-200 bg-zinc-50 text-zinc-800'}`}
    >
      {route.provider}/{route.model}
      {extras.length ? <span className="font-sans text-[11px] text-zinc-500">({extras.join(', ')})</span> : null}
    </span>
  );
}

function Source({ org, project, env, from }: { org: string; project: string; env: string; from: EffectiveRoutingDto['from'] }) {
  if (from.source === 'release') {
    return (
      <Link href={`/o/${org}/projects/${project}#section-environment-${env}`} className="font-medium text-blue-700 hover:underline">
        release #{from.releaseNumber}
      </Link>
    );
  }
  if (from.source === 'organization') {
    return (
      <Link href={`/o/${org}/gateway`} className="font-medium text-blue-700 hover:underline">
        organization defaults
      </Link>
    );
  }
  return (
    <>
      <Badge>built-in</Badge>
      <span className="text-xs text-zinc-500">
        (neither the live release’s slipway.yaml nor the organization sets a <code className="font-mono">gateway:</code> section)
      </span>
    </>
  );
}
