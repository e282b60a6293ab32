'use client';

import { addDomainInputSchema } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useCan } from '../../lib/org';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { Empty, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { DomainRow } from './domain-row';

type EnvParams = { org: string; project: string; env: string };

/** Custom domains of an environment: each with the DNS TXT record that proves control of it, and its status. */
export function DomainsSection({ org, project, env }: EnvParams) {
  const canEdit = useCan('MEMBER');
  const params = { org, project, env };
  const domains = useApiQuery('listDomains', params);
  const invalidate = useInvalidateApi();

  return (
    <Section
      title="Custom domains"
      description="A domain is routed to this environment once you prove you control it: create the TXT record shown, then verify (it is also checked every few minutes). Point the name itself at the edge."
    >
      <ResourceState query={domains} what="environment">
        {(list) =>
          list.length === 0 ? (
            <Empty>No custom domains.</Empty>
          ) : (
            <ul aria-label="Custom domains" className="flex flex-col divide-y divide-zinc-100">
              {list.map((d) => (
                <DomainRow key={d.id} domain={d} params={params} canEdit={canEdit} onChanged={() => void invalidate('listDomains')} />
              ))}
            </ul>
          )
        }
      </ResourceState>
      {canEdit ? <AddDomainForm params={params} onAdded={() => void invalidate('listDomains')} /> : null}
    </Section>
  );
}

function AddDomainForm({ params, onAdded }: { params: EnvParams; onAdded: () => void }) {
  const action = useAction();
  const [hostname, setHostname] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = addDomainInputSchema.safeParse({ hostname });
    if (!body.success) return action.setError(null, zodFieldErrors(body.error.issues));
    if (await action.run(() => api('addDomain', { params, body: body.data }))) {
      setHostname('');
      onAdded();
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Add custom domain" className="mt-4 flex flex-col gap-3 border-t border-zinc-100 pt-4">
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start">
        <TextField label="Host name" placeholder="www.example.com" value={hostname} onChange={(e) => setHostname(e.target.value)} error={action.fieldErrors.hostname} className="font-mono" autoComplete="off" />
        <Button type="submit" variant="primary" busy={action.busy} className="sm:mt-5">
          Add domain
        </Button>
      </div>
    </form>
  );
}
