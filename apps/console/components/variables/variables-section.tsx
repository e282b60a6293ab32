'use client';

import { useState } from 'react';
import { useCan } from '../../lib/org';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
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
  const variables = useApiQuery('listVariables', params);
  const invalidate = useInvalidateApi();
  // A change adds a version too: an open history refetches, a closed one is fetched afresh when opened.
  const changed = () => void invalidate('listVariables', 'variableVersions');
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
      {canEdit && bulk ? <BulkEdit params={params} onDone={changed} onClose={() => setBulk(false)} /> : null}
      <ResourceState query={variables} what="environment">
        {(list) =>
          list.length === 0 ? (
            <Empty>No variables yet.</Empty>
          ) : (
            <Table label="Variables" head={['Key', 'Value', 'Version', 'Updated', '']}>
              {list.map((v) => (
                <VariableRow key={v.key} variable={v} params={params} canEdit={canEdit} onChanged={changed} />
              ))}
            </Table>
          )
        }
      </ResourceState>
      {canEdit ? <AddVariableForm params={params} onSaved={changed} /> : null}
    </Section>
  );
}
