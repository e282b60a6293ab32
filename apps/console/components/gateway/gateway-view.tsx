'use client';

import type { ProjectDto } from '@slipway/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { apiBaseFromGitRemote, gatewayBaseUrls, parseRouting } from '../../lib/gateway';
import { useOrg } from '../../lib/org';
import { useApiQuery } from '../../lib/api-query';
import { PageHeader } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { BudgetsSection } from './budgets-section';
import { ConnectSection } from './connect-section';
import { DrillsSection } from './drills-section';
import { EnvironmentPicker } from './environment-picker';
import { KeysSection } from './keys-section';
import { RequestsSection } from './requests-section';
import { RoutingSection } from './routing-section';

/** The project's model gateway: how to call it, its keys, traffic, routing, budgets and failover drills. */
export function GatewayView({ project }: { project: string }) {
  const org = useOrg();
  const resource = useApiQuery('getProject', { org: org.slug, project });
  return (
    <ResourceState query={resource} what="project">
      {(p) => <GatewayPage org={org.slug} project={p} />}
    </ResourceState>
  );
}

function GatewayPage({ org, project }: { org: string; project: ProjectDto }) {
  const names = project.environments.map((e) => e.name);
  const [picked, setPicked] = useState<string | null>(null);
  const env = picked && names.includes(picked) ? picked : names.includes('production') ? 'production' : (names[0] ?? 'production');
  // A key just created: the snippets use it while it is on screen, then forget it.
  const [freshKey, setFreshKey] = useState<string | null>(null);
  const routing = useApiQuery('effectiveGatewayRouting', { org, project: project.slug, env });
  const config = routing.data ? parseRouting(routing.data.config) : null;
  const urls = gatewayBaseUrls(apiBaseFromGitRemote(project.gitRemoteUrl));
  const firstAlias = config ? (Object.keys(config.models ?? {})[0] ?? 'default') : 'default';

  return (
    <>
      <PageHeader
        crumbs={[
          { href: `/o/${org}/projects`, label: 'Projects' },
          { href: `/o/${org}/projects/${project.slug}`, label: project.name },
        ]}
        title="Model gateway"
        description={
          <span>
            Anthropic- and OpenAI-compatible model access for {project.name}: keys, routing, spend and failover.{' '}
            <Link href={`/o/${org}/gateway`} className="text-blue-700 hover:underline">
              Providers and organization defaults
            </Link>
          </span>
        }
      />
      <ConnectSection urls={urls} model={firstAlias} freshKey={freshKey} />
      <KeysSection org={org} project={project.slug} environments={names} onCreated={setFreshKey} />
      <RequestsSection org={org} project={project.slug} environments={names} urls={urls} model={firstAlias} />
      <EnvironmentPicker environments={names} current={env} onPick={setPicked} />
      <RoutingSection org={org} project={project.slug} env={env} routing={routing} />
      <BudgetsSection org={org} project={project.slug} env={env} />
      <DrillsSection org={org} project={project.slug} env={env} config={config} />
    </>
  );
}
