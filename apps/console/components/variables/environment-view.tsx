'use client';

import { useOrg } from '../../lib/org';
import { useApiQuery } from '../../lib/api-query';
import { Badge, PageHeader } from '../ui/layout-bits';
import { NotFoundView } from '../ui/not-found-view';
import { ResourceState } from '../ui/resource-state';
import { DomainsSection } from '../domains/domains-section';
import { EnvironmentUrl } from '../projects/environment-url';
import { VariablesSection } from './variables-section';

export function EnvironmentView({ project, env }: { project: string; env: string }) {
  const org = useOrg();
  const resource = useApiQuery('getProject', { org: org.slug, project });

  return (
    <ResourceState query={resource} what="project">
      {(p) => {
        const environment = p.environments.find((e) => e.name === env);
        if (!environment) return <NotFoundView what="environment" />;
        return (
          <>
            <PageHeader
              crumbs={[
                { href: `/o/${org.slug}/projects`, label: 'Projects' },
                { href: `/o/${org.slug}/projects/${p.slug}`, label: p.name },
              ]}
              title={environment.name}
              description={
                <span className="flex flex-wrap items-center gap-2">
                  <Badge>branch {environment.branch}</Badge>
                  <EnvironmentUrl environment={environment} />
                </span>
              }
            />
            <VariablesSection org={org.slug} project={p.slug} env={environment.name} />
            <DomainsSection org={org.slug} project={p.slug} env={environment.name} />
          </>
        );
      }}
    </ResourceState>
  );
}
