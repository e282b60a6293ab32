'use client';

import type { DeploymentDto, EnvironmentDto, ReleaseDto } from '@slipway/contracts';
import Link from 'next/link';
import { api } from '../../lib/api';
import { formatDateTime, formatDuration, formatRelative, shortSha, subject } from '../../lib/format';
import { useCan } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { FAST_POLL_MS, SLOW_POLL_MS, pollWhile } from '../../lib/polling';
import { BuildPlan } from './build-plan';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge, Empty, Section } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';
import { EnvironmentUrl } from '../projects/environment-url';
import { StatusBadge, inProgress } from './status-badge';

const KIND = { DEPLOY: 'Deploy', ROLLBACK: 'Rollback', REDEPLOY: 'Redeploy' } as const;

/** One environment: its live URL and release, its deployments and the releases it can roll back to. */
export function EnvironmentDeploys({ org, project, environment }: { org: string; project: string; environment: EnvironmentDto }) {
  const params = { org, project, env: environment.name };
  // Both lists poll fast while a deployment runs (it ends by putting a release live), slowly otherwise.
  const deployments = useApiQuery('listDeployments', params, { refetchInterval: pollWhile(deploying) });
  const busy = deployments.data ? deploying(deployments.data) : false;
  const releases = useApiQuery('listReleases', params, { refetchInterval: busy ? FAST_POLL_MS : SLOW_POLL_MS });
  const invalidate = useInvalidateApi();
  const canDeploy = useCan('MEMBER');
  const action = useAction();
  const reload = () => invalidate('listReleases', 'listDeployments');

  const live = releases.data?.find((r) => r.live) ?? null;
  const base = `/o/${org}/projects/${project}/environments/${environment.name}`;

  async function redeploy() {
    if (await action.run(() => api('redeploy', { params }))) await reload();
  }

  async function rollback(release: ReleaseDto) {
    if (await action.run(() => api('rollback', { params, body: { releaseId: release.id } }))) await reload();
  }

  return (
    <Section
      title={`Environment ${environment.name}`}
      description={
        <span className="flex flex-wrap items-center gap-2">
          <Badge>branch {environment.branch}</Badge>
          <EnvironmentUrl environment={environment} label={`Live URL of ${environment.name}`} />
        </span>
      }
      actions={
        canDeploy && live ? (
          <Button size="sm" onClick={redeploy} busy={action.busy}>
            Redeploy
          </Button>
        ) : null
      }
    >
      <div className="flex flex-col gap-4">
        <ErrorAlert>{action.error ?? releases.error?.message ?? deployments.error?.message}</ErrorAlert>
        <CurrentRelease live={live} loaded={releases.data !== undefined} />
        <div>
          <h3 className="mb-1 text-xs font-semibold text-zinc-700">Deployments</h3>
          <DeploymentsTable label={`Deployments of ${environment.name}`} deployments={deployments.data ?? []} base={base} />
        </div>
        <div>
          <h3 className="mb-1 text-xs font-semibold text-zinc-700">Releases</h3>
          <ReleasesTable label={`Releases of ${environment.name}`} releases={releases.data ?? []} live={live} canRollBack={canDeploy} onRollback={rollback} />
        </div>
      </div>
    </Section>
  );
}

function deploying(list: DeploymentDto[]): boolean {
  return list.some((d) => inProgress(d.status));
}

function CurrentRelease({ live, loaded }: { live: ReleaseDto | null; loaded: boolean }) {
  if (!loaded) return null;
  if (!live) return <p className="text-sm text-zinc-500">Nothing is live yet. Push to deploy a first release.</p>;
  return (
    <p aria-label="Current release" className="flex flex-wrap items-center gap-2 text-sm">
      <Badge tone="green">live</Badge>
      <strong>v{live.number}</strong>
      <code className="font-mono text-xs text-zinc-600">{shortSha(live.commitSha)}</code>
      <span className="text-zinc-700">{subject(live.message)}</span>
      <span className="text-xs text-zinc-500">by {live.authorName}</span>
    </p>
  );
}

function DeploymentsTable({ label, deployments, base }: { label: string; deployments: DeploymentDto[]; base: string }) {
  if (deployments.length === 0) return <Empty>No deployments yet.</Empty>;
  return (
    <Table label={label} head={['Status', 'Kind', 'Release', 'Commit', 'Message', 'Duration', 'Queued']}>
      {deployments.map((d) => (
        <tr key={d.id} aria-label={`${KIND[d.kind]} of v${d.releaseNumber}`}>
          <Td>
            <Link href={`${base}/deployments/${d.id}`} className="hover:underline" aria-label={`Deployment ${d.id}`}>
              <StatusBadge status={d.status} />
            </Link>
          </Td>
          <Td>
            {d.automatic ? `Automatic ${KIND[d.kind].toLowerCase()}` : KIND[d.kind]}
            {d.reason ? (
              <div className="max-w-xs truncate text-xs text-zinc-500" title={d.reason}>
                {d.reason}
              </div>
            ) : null}
          </Td>
          <Td>
            <Link href={`${base}/deployments/${d.id}`} className="font-medium hover:underline">
              v{d.releaseNumber}
            </Link>
          </Td>
          <Td className="font-mono text-xs">{shortSha(d.commitSha)}</Td>
          <Td className="max-w-xs truncate">{subject(d.message)}</Td>
          <Td className="whitespace-nowrap">{formatDuration(d.durationMs)}</Td>
          <Td className="whitespace-nowrap text-xs text-zinc-500">
            <span title={formatDateTime(d.queuedAt)}>{formatRelative(d.queuedAt)}</span>
          </Td>
        </tr>
      ))}
    </Table>
  );
}

function ReleasesTable({
  label,
  releases,
  live,
  canRollBack,
  onRollback,
}: {
  label: string;
  releases: ReleaseDto[];
  live: ReleaseDto | null;
  canRollBack: boolean;
  onRollback: (r: ReleaseDto) => Promise<void>;
}) {
  if (releases.length === 0) return <Empty>No releases yet.</Empty>;
  return (
    <Table label={label} head={['Release', 'Commit', 'Message', 'Created', '']}>
      {releases.map((r) => (
        <tr key={r.id} aria-label={`v${r.number}`}>
          <Td className="font-medium">v{r.number}</Td>
          <Td className="font-mono text-xs">{shortSha(r.commitSha)}</Td>
          <Td className="max-w-md">
            <div className="truncate">{subject(r.message)}</div>
            <BuildPlan plan={r.buildPlan} />
          </Td>
          <Td className="whitespace-nowrap text-xs text-zinc-500">{formatDateTime(r.createdAt)}</Td>
          <Td className="text-right whitespace-nowrap">
            {r.live ? <Badge tone="green">live</Badge> : null}
            {canRollBack && live && r.number < live.number && !r.imageRemoved ? (
              <ConfirmButton label={`Roll back to v${r.number}`} question={`Put v${r.number} live again?`} confirmLabel="Roll back" onConfirm={() => onRollback(r)}>
                Roll back to v{r.number}
              </ConfirmButton>
            ) : null}
            {r.imageRemoved && !r.live ? <span className="text-xs text-zinc-500" title="Its image was removed by image retention (RELEASE_IMAGES_KEEP)">image removed</span> : null}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
