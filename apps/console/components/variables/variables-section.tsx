'use client';

import { useState } from 'react';
import { useCan } from '../../lib/org';
import { useResource } from '../../lib/use-resource';
import { Button } from '../ui/button';
import { Empty, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table } from '../ui/table';
import { AddVariableForm } from './add-variable-form';
import { BulkEdit } from './bulk-edit';
import { VariableRow } from './variable-row';

export function VariablesSection({ org, project, env }: { org: string; project: string; env: string }) {
  const canEdit = useCan('MEMBER');
  const params = { org, project, env };
  const variables = useResource('listVariables', params);
  const [bulk, setBulk] = useState(false);

  return (
    <Section
      title="Variables"
      description="Injected into every container of this environment at deploy time. Secrets are encrypted and masked."
      actions={
        canEdit ? (
          <Button size="sm" onClick={() => setBulk((b) => !b)} aria-expanded={bulk}>
            Bulk edit
          </Button>
        ) : null
      }
    >
      {canEdit && bulk ? <BulkEdit params={params} onDone={() => void variables.reload()} onClose={() => setBulk(false)} /> : null}
      <ResourceState resource={variables} what="environment">
        {(list) =>
          list.length === 0 ? (
            <Empty>No variables yet.</Empty>
          ) : (
            <Table label="Variables" head={['Key', 'Value', 'Version', 'Updated', '']}>
              {list.map((v) => (
                <VariableRow key={v.key} variable={v} params={params} canEdit={canEdit} onChanged={() => void variables.reload()} />
              ))}
            </Table>
          )
        }
      </ResourceState>
      {canEdit ? <AddVariableForm params={params} onSaved={() => void variables.reload()} /> : null}
    </Section>
  );
}
