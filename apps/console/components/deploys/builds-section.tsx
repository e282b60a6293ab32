'use client';

import type { BuildDto } from '@slipway/contracts';
import Link from 'next/link';
import { api } from '../../lib/api';
import { formatDateTime, formatDuration, formatRelative, shortSha, subject } from '../../lib/format';
import { useCan } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { pollWhile } from '../../lib/polling';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Empty, Section } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';
import { StatusBadge, inProgress } from './status-badge';

/** The project's builds, newest first, each linking to its live log. */
export function BuildsSection({ org, project }: { org: string; project: string }) {
  // Fast while a build runs, slowly otherwise: a `git push` shows up by itself.
  const builds = useApiQuery(
    'listBuilds',
    { org, project },
    { refetchInterval: pollWhile((list) => list.some((b) => inProgress(b.status))) },
  );
  const invalidate = useInvalidateApi();

  return (
    <Section title="Builds" description="Every push builds an image; a successful build makes a release.">
      <ErrorAlert>{builds.error?.message}</ErrorAlert>
      {builds.data && builds.data.length === 0 ? <Empty>No builds yet. Push to deploy.</Empty> : null}
      {builds.data?.length ? (
        <Table label="Builds" head={['Status', 'Environment', 'Commit', 'Message', 'Release', 'Duration', 'Queued', '']}>
          {builds.data.map((b) => (
            <BuildRow key={b.id} org={org} project={project} build={b} onChange={() => invalidate('listBuilds', 'getBuild')} />
          ))}
        </Table>
      ) : null}
    </Section>
  );
}

function BuildRow({ org, project, build: b, onChange }: { org: string; project: string; build: BuildDto; onChange: () => Promise<void> }) {
  const canCancel = useCan('MEMBER');
  const cancel = useAction();
  const href = `/o/${org}/projects/${project}/builds/${b.id}`;

  async function cancelBuild() {
    if (await cancel.run(() => api('cancelBuild', { params: { org, project, buildId: b.id } }))) await onChange();
  }

  return (
    <tr aria-label={`Build ${shortSha(b.commitSha)}`}>
      <Td>
        <StatusBadge status={b.status} />
      </Td>
      <Td>{b.environment}</Td>
      <Td className="font-mono text-xs">
        <Link href={href} className="hover:underline">
          {shortSha(b.commitSha)}
        </Link>
      </Td>
      <Td className="max-w-xs truncate">
        {subject(b.message)}
        {b.failureReason ? <div className="truncate text-xs text-red-700">{b.failureReason}</div> : null}
        <ErrorAlert>{cancel.error}</ErrorAlert>
      </Td>
      <Td>{b.releaseNumber !== null ? `v${b.releaseNumber}` : '—'}</Td>
      <Td className="whitespace-nowrap">{formatDuration(b.durationMs)}</Td>
      <Td className="whitespace-nowrap text-xs text-zinc-500">
        <span title={formatDateTime(b.queuedAt)}>{formatRelative(b.queuedAt)}</span>
      </Td>
      <Td className="text-right whitespace-nowrap">
        <Link href={href} className="mr-1 text-xs text-zinc-600 hover:underline" aria-label={`Build log of ${shortSha(b.commitSha)}`}>
          Log
        </Link>
        {canCancel && inProgress(b.status) ? (
          <Button size="sm" variant="ghost" busy={cancel.busy} onClick={cancelBuild} aria-label={`Cancel build ${shortSha(b.commitSha)}`}>
            Cancel
          </Button>
        ) : null}
      </Td>
    </tr>
  );
}
