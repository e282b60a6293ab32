'use client';

import { MOCK_PROVIDER, MOCK_PROVIDER_LABEL, type GatewayRequestDto } from '@slipway/contracts';
import { useState } from 'react';
import { formatClock, formatDateTime, formatDuration } from '../../lib/format';
import { formatCount, formatUsd, type GatewayBaseUrls } from '../../lib/gateway';
import { useApiQuery } from '../../lib/api-query';
import { pollEvery } from '../../lib/polling';
import { ErrorAlert, Notice } from '../ui/alert';
import { SelectField } from '../ui/field';
import { Badge, Loading, Section } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';
import { Snippet } from './connect-section';

/** A request shows up within a poll or two of its answer (the worker writes rows in batches). */
const LIVE_POLL_MS = 2_500;

/** The live table of recent model requests through the gateway. */
export function RequestsSection({
  org,
  project,
  environments,
  urls,
  model,
}: {
  org: string;
  project: string;
  environments: string[];
  urls: GatewayBaseUrls;
  model: string;
}) {
  const [environment, setEnvironment] = useState('');
  const requests = useApiQuery(
    'listGatewayRequests',
    { org, project },
    { query: { limit: 30, environment: environment || undefined }, refetchInterval: pollEvery(LIVE_POLL_MS) },
  );
  const forbidden = requests.error?.status === 403;

  return (
    <Section
      title="Recent requests"
      description={
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-emerald-500" />
          Live: refreshes every few seconds.
        </span>
      }
      actions={
        forbidden ? null : (
          <SelectField
            label="Filter by environment"
            value={environment}
            onChange={(e) => setEnvironment(e.target.value)}
            fieldClassName="w-44"
            className="h-8"
          >
            <option value="">All environments</option>
            {environments.map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
          </SelectField>
        )
      }
    >
      {forbidden ? (
        <Notice>Only members and admins can see the project’s model traffic.</Notice>
      ) : requests.error && !requests.data ? (
        <ErrorAlert>{requests.error.message}</ErrorAlert>
      ) : requests.data === undefined ? (
        <Loading />
      ) : requests.data.length === 0 ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-zinc-600">No requests yet. Make a first call with a gateway key and it appears here within seconds:</p>
          <Snippet urls={urls} model={model} freshKey={null} label="Example call" />
        </div>
      ) : (
        // Scrolls inside the section, so a busy app does not push the rest of the page away.
        <div className="max-h-[30rem] overflow-y-auto">
          <RequestsTable requests={requests.data} />
        </div>
      )}
    </Section>
  );
}

function statusTone(status: number): 'green' | 'amber' | 'red' {
  return status < 400 ? 'green' : status < 500 ? 'amber' : 'red';
}

function RequestsTable({ requests }: { requests: GatewayRequestDto[] }) {
  return (
    <Table
      label="Recent requests"
      head={[
        'Time',
        'Model asked → served',
        'Provider',
        'Status',
        'Latency',
        'TTFT',
        'Tokens in / out',
        'Cost',
        'Retries · attempts',
        'Streamed',
        'Environment',
      ]}
    >
      {requests.map((r) => (
        <tr key={r.id} aria-label={r.id} className="text-xs">
          <Td className="font-mono whitespace-nowrap text-zinc-600">
            <span title={formatDateTime(r.createdAt)}>{formatClock(r.createdAt)}</span>
          </Td>
          <Td className="whitespace-nowrap">
            <span className="font-medium text-zinc-900">{r.modelRequested}</span>
            <span className="text-zinc-400"> → </span>
            <span className="font-mono">{r.modelServed ?? '—'}</span>
          </Td>
          <Td>
            {r.provider === null ? (
              '—'
            ) : r.provider === MOCK_PROVIDER ? (
              <span title={MOCK_PROVIDER_LABEL}>
                <Badge tone="amber">mock</Badge>
              </span>
            ) : (
              <Badge>{r.provider}</Badge>
            )}
          </Td>
          <Td className="whitespace-nowrap">
            <Badge tone={statusTone(r.status)}>{r.status}</Badge>
            {r.errorCategory ? <span className="ml-1 text-zinc-500">{r.errorCategory}</span> : null}
          </Td>
          <Td className="whitespace-nowrap">{formatDuration(r.latencyMs)}</Td>
          <Td className="whitespace-nowrap">{r.ttftMs === null ? '—' : formatDuration(r.ttftMs)}</Td>
          <Td className="whitespace-nowrap">
            {formatCount(r.inputTokens)} / {formatCount(r.outputTokens)}
          </Td>
          <Td className="font-mono whitespace-nowrap">{formatUsd(r.costUsd)}</Td>
          <Td>
            <Attempts request={r} />
          </Td>
          <Td>{r.streamed ? 'yes' : 'no'}</Td>
          <Td className="whitespace-nowrap text-zinc-600">{r.environment ?? 'project-wide'}</Td>
        </tr>
      ))}
    </Table>
  );
}

/** Retries and the fallback chain (`provider/model:outcome` per attempt); a clean first answer is just "—". */
function Attempts({ request }: { request: GatewayRequestDto }) {
  const chain = request.fallbackChain;
  if (request.retries === 0 && chain.length <= 1) return <span className="text-zinc-400">—</span>;
  const routes = new Set(chain.map((attempt) => attempt.replace(/:[^:/]*$/, '')));
  const summary = [
    request.retries > 0 ? `${request.retries} ${request.retries === 1 ? 'retry' : 'retries'}` : '',
    routes.size > 1 ? 'fell back' : '',
  ].filter(Boolean);
  return (
    <span className="flex flex-col gap-0.5">
      <span>{summary.join(', ')}</span>
      <ol aria-label="Attempts" className="font-mono text-[11px] whitespace-nowrap text-zinc-500">
        {chain.map((attempt, i) => (
          <li key={i}>
            {i + 1}. {attempt}
          </li>
        ))}
      </ol>
    </span>
  );
}
