'use client';

import type { ProviderDto } from '@slipway/contracts';
import { useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { AddProviderForm } from './add-provider-form';

const KIND = { ANTHROPIC: 'Anthropic', OPENAI: 'OpenAI', OPENAI_COMPATIBLE: 'OpenAI-compatible', MOCK: 'Mock' } as const;

export function ProvidersSection({ org, canEdit }: { org: string; canEdit: boolean }) {
  const providers = useApiQuery('listGatewayProviders', { org });
  const invalidate = useInvalidateApi();
  const remove = useAction();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<ProviderDto | null>(null);

  async function deleteProvider(name: string) {
    const ok = await remove.run(async () => {
      await api('deleteGatewayProvider', { params: { org, provider: name } });
      return true;
    });
    if (ok) {
      setAdded(null);
      await invalidate('listGatewayProviders', 'effectiveGatewayRouting');
    }
  }

  return (
    <Section
      title="Providers"
      description="API keys are stored encrypted; after saving, only their last four characters are ever shown."
      actions={
        canEdit && !adding ? (
          <Button size="sm" onClick={() => setAdding(true)}>
            Add provider
          </Button>
        ) : null
      }
    >
      <div className="flex flex-col gap-4">
        {added ? (
          <Notice tone="success">
            Provider <strong>{added.name}</strong> added. Its API key is stored encrypted and will not be shown again (it ends in{' '}
            <code className="font-mono">{added.credentialHint}</code>). Routes can now name{' '}
            <code className="font-mono">provider: {added.name}</code>.
          </Notice>
        ) : null}
        {adding ? (
          <AddProviderForm
            org={org}
            onCancel={() => setAdding(false)}
            onAdded={(p) => {
              setAdding(false);
              setAdded(p);
              void invalidate('listGatewayProviders', 'effectiveGatewayRouting');
            }}
          />
        ) : null}
        <ErrorAlert>{remove.error}</ErrorAlert>
        <ResourceState query={providers}>
          {(list) => (
            <Table label="Providers" head={['Name', 'Kind', 'Base URL', 'API key', 'Added', '']}>
              {list.map((p) => (
                <tr key={p.name} aria-label={p.name}>
                  <Td>
                    <span className="font-mono font-medium">{p.name}</span>
                    {p.builtIn ? (
                      <span className="ml-2">
                        <Badge tone="amber">built-in</Badge>
                      </span>
                    ) : null}
                    {p.label ? <p className="mt-0.5 text-xs text-zinc-500">{p.label}</p> : null}
                  </Td>
                  <Td className="text-xs">{KIND[p.kind]}</Td>
                  <Td className="font-mono text-xs">{p.baseUrl}</Td>
                  <Td className="font-mono text-xs">{p.credentialHint ? `••••${p.credentialHint}` : 'none needed'}</Td>
                  <Td className="text-xs whitespace-nowrap">{p.createdAt ? formatDateTime(p.createdAt) : '—'}</Td>
                  <Td className="text-right">
                    {canEdit && !p.builtIn ? (
                      <ConfirmButton
                        label={`Delete ${p.name}`}
                        question="Routes naming it stop working."
                        confirmLabel="Delete"
                        onConfirm={() => deleteProvider(p.name)}
                      >
                        Delete
                      </ConfirmButton>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </Table>
          )}
        </ResourceState>
      </div>
    </Section>
  );
}
