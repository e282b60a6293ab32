'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useOrg, useCan } from '../../lib/org';
import { setApiQueryData, useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { PageHeader } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { BuildsSection } from '../deploys/builds-section';
import { EnvironmentDeploys } from '../deploys/environment-deploys';
import { DeleteProject } from './delete-project';
import { EnvironmentsSection } from './environments-section';
import { PushPanel } from './push-panel';

export function ProjectView({ project }: { project: string }) {
  const org = useOrg();
  const canDelete = useCan('ADMIN');
  const resource = useApiQuery('getProject', { org: org.slug, project });
  const client = useQueryClient();
  const invalidate = useInvalidateApi();

  return (
    <ResourceState query={resource} what="project">
      {(p) => (
        <>
          <PageHeader
            crumbs={[{ href: `/o/${org.slug}/projects`, label: 'Projects' }]}
            title={p.name}
            actions={
              <>
                <Link
                  href={`/o/${org.slug}/projects/${p.slug}/observability`}
                  className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50"
                >
                  Observability
                </Link>
                <Link
                  href={`/o/${org.slug}/projects/${p.slug}/gateway`}
                  className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50"
                >
                  Model gateway
                </Link>
              </>
            }
            description={
              <span>
                Slug <code className="rounded bg-zinc-100 px-1 font-mono text-xs text-zinc-700">{p.slug}</code>
              </span>
            }
          />
          <PushPanel project={p.slug} gitRemoteUrl={p.gitRemoteUrl} />
          {p.environments.map((env) => (
            <EnvironmentDeploys key={env.id} org={org.slug} project={p.slug} environment={env} />
          ))}
          <BuildsSection org={org.slug} project={p.slug} />
          <EnvironmentsSection
            org={org.slug}
            project={p.slug}
            environments={p.environments}
            onChange={(environments) => {
              // The answer of the change is the new list: every view of this project shows it at once.
              setApiQueryData(client, 'getProject', { org: org.slug, project }, (cur) => cur && { ...cur, environments });
              void invalidate('listProjects');
            }}
          />
          {canDelete ? <DeleteProject org={org.slug} slug={p.slug} /> : null}
        </>
      )}
    </ResourceState>
  );
}
