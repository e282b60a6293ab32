'use client';

import type { EnvironmentDto } from '@slipway/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '../../lib/api';
import { useCan } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge, Section } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';
import { EnvironmentForm } from './environment-form';
import { EnvironmentUrl } from './environment-url';

type Mode = { kind: 'add' } | { kind: 'edit'; name: string } | null;

export function EnvironmentsSection({
  org,
  project,
  environments,
  onChange,
}: {
  org: string;
  project: string;
  environments: EnvironmentDto[];
  onChange: (envs: EnvironmentDto[]) => void;
}) {
  const canEdit = useCan('MEMBER');
  const canDelete = useCan('ADMIN');
  const [mode, setMode] = useState<Mode>(null);
  const remove = useAction();
  const editing = mode?.kind === 'edit' ? environments.find((e) => e.name === mode.name) : undefined;

  function saved(env: EnvironmentDto) {
    const exists = environments.some((e) => e.id === env.id);
    onChange(exists ? environments.map((e) => (e.id === env.id ? env : e)) : [...environments, env]);
    setMode(null);
  }

  async function deleteEnv(name: string) {
    const ok = await remove.run(async () => {
      await api('deleteEnvironment', { params: { org, project, env: name } });
      return true;
    });
    if (ok) onChange(environments.filter((e) => e.name !== name));
  }

  return (
    <Section
      title="Environments"
      description="Each environment follows a branch and has its own variables and URL."
      actions={
        canEdit && mode?.kind !== 'add' ? (
          <Button size="sm" onClick={() => setMode({ kind: 'add' })}>
            Add environment
          </Button>
        ) : null
      }
    >
      <ErrorAlert>{remove.error}</ErrorAlert>
      <Table label="Environments" head={['Name', 'Branch', 'Memory', 'CPU', 'Replicas', 'Health check', 'URL', '']}>
        {environments.map((env) => (
          <tr key={env.id} aria-label={env.name}>
            <Td>
              <Link href={`/o/${org}/projects/${project}/environments/${env.name}`} className="font-medium hover:underline">
                {env.name}
              </Link>
              {env.name === 'production' ? (
                <span className="ml-2">
                  <Badge tone="blue">prod</Badge>
                </span>
              ) : null}
            </Td>
            <Td className="font-mono text-xs">{env.branch}</Td>
            <Td>{env.memoryMb} MB</Td>
            <Td>{env.cpuMillis}m</Td>
            <Td>{env.replicas}</Td>
            <Td className="font-mono text-xs">{env.healthCheckPath}</Td>
            <Td>
              <EnvironmentUrl environment={env} compact />
            </Td>
            <Td className="text-right whitespace-nowrap">
              <Link href={`/o/${org}/projects/${project}/environments/${env.name}`} className="mr-1 text-xs text-zinc-600 hover:underline">
                Variables
              </Link>
              {canEdit ? (
                <Button size="sm" variant="ghost" aria-label={`Edit ${env.name}`} onClick={() => setMode({ kind: 'edit', name: env.name })}>
                  Edit
                </Button>
              ) : null}
              {canDelete && env.name !== 'production' ? (
                <ConfirmButton
                  label={`Delete ${env.name}`}
                  question={`Delete ${env.name}?`}
                  confirmLabel="Delete"
                  onConfirm={() => deleteEnv(env.name)}
                >
                  Delete
                </ConfirmButton>
              ) : null}
            </Td>
          </tr>
        ))}
      </Table>
      {mode?.kind === 'add' ? (
        <EnvironmentForm key="add" org={org} project={project} onSaved={saved} onCancel={() => setMode(null)} />
      ) : null}
      {editing ? (
        <EnvironmentForm
          key={editing.id}
          org={org}
          project={project}
          environment={editing}
          onSaved={saved}
          onCancel={() => setMode(null)}
        />
      ) : null}
    </Section>
  );
}
