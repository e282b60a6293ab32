'use client';

import type { CreatedGatewayKeyDto } from '@slipway/contracts';
import { useState } from 'react';
import { useCan } from '../../lib/org';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { SLOW_POLL_MS, pollEvery } from '../../lib/polling';
import { Button } from '../ui/button';
import { Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { CreateKeyForm } from './create-key-form';
import { CreatedKey } from './created-key';
import { EnvironmentKeys, UserKeys } from './key-tables';

/** The project's gateway keys: the environments' own (injected at deploy) and those people create here. */
export function KeysSection({
  org,
  project,
  environments,
  onCreated,
}: {
  org: string;
  project: string;
  environments: string[];
  onCreated: (token: string | null) => void;
}) {
  const params = { org, project };
  // "Last used" moves as apps call the gateway.
  const keys = useApiQuery('listGatewayKeys', params, { refetchInterval: pollEvery(SLOW_POLL_MS) });
  const invalidate = useInvalidateApi();
  const canCreate = useCan('MEMBER');
  // Spend per key this month, for the budget column (members and above may read usage).
  const usage = useApiQuery('gatewayUsage', params, { enabled: canCreate, query: { period: 'month' } });
  const [mode, setMode] = useState<'idle' | 'form'>('idle');
  const [created, setCreated] = useState<CreatedGatewayKeyDto | null>(null);
  const spent = new Map((usage.data?.byKey ?? []).map((k) => [k.keyId, k.costUsd]));

  function done() {
    setCreated(null);
    setMode('idle');
    onCreated(null);
  }

  return (
    <Section
      title="Gateway keys"
      description="Keys are shown once and stored hashed; revoking one takes effect at once."
      actions={
        canCreate && mode === 'idle' && !created ? (
          <Button size="sm" onClick={() => setMode('form')}>
            Create key
          </Button>
        ) : null
      }
    >
      <div className="flex flex-col gap-5">
        {created ? <CreatedKey keyDto={created} onDone={done} /> : null}
        {mode === 'form' && !created ? (
          <CreateKeyForm
            org={org}
            project={project}
            environments={environments}
            onCancel={() => setMode('idle')}
            onCreated={(k) => {
              setCreated(k);
              onCreated(k.token);
              void invalidate('listGatewayKeys');
            }}
          />
        ) : null}
        <ResourceState query={keys}>
          {(list) => (
            <>
              <UserKeys
                org={org}
                project={project}
                keys={list.filter((k) => k.kind === 'USER')}
                spent={spent}
                canRevoke={canCreate}
                onRevoked={() => void invalidate('listGatewayKeys')}
              />
              <EnvironmentKeys
                org={org}
                project={project}
                keys={list.filter((k) => k.kind === 'ENVIRONMENT')}
                canRevoke={canCreate}
                onRevoked={() => void invalidate('listGatewayKeys')}
              />
            </>
          )}
        </ResourceState>
      </div>
    </Section>
  );
}
