'use client';

import type { DomainDto } from '@slipway/contracts';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { CopyField } from '../ui/copy-button';
import { Badge } from '../ui/layout-bits';

type EnvParams = { org: string; project: string; env: string };

const STATUS = {
  verified: { tone: 'green', label: 'verified' },
  pending: { tone: 'amber', label: 'waiting for DNS' },
  expired: { tone: 'red', label: 'expired' },
} as const;

/** One custom domain: its status, the TXT record to create while it is pending, verify and remove. */
export function DomainRow({ domain: d, params, canEdit, onChanged }: { domain: DomainDto; params: EnvParams; canEdit: boolean; onChanged: () => void }) {
  const action = useAction();
  const domainParams = { ...params, domainId: d.id };
  const status = STATUS[d.status];

  async function verify() {
    await action.run(() => api('verifyDomain', { params: domainParams }));
    onChanged(); // a failed check is recorded too: its reason shows below
  }

  async function remove() {
    if (await action.run(async () => (await api('removeDomain', { params: domainParams }), true))) onChanged();
  }

  return (
    <li aria-label={d.hostname} className="flex flex-col gap-2 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="flex items-center gap-2">
          {d.status === 'verified' ? (
            <a href={d.url} target="_blank" rel="noreferrer" className="font-mono text-sm text-blue-700 hover:underline">
              {d.hostname}
            </a>
          ) : (
            <span className="font-mono text-sm">{d.hostname}</span>
          )}
          <Badge tone={status.tone}>{status.label}</Badge>
        </span>
        <span className="flex items-center gap-1">
          {canEdit && d.status === 'pending' ? (
            <Button size="sm" onClick={verify} busy={action.busy} aria-label={`Verify ${d.hostname}`}>
              Verify
            </Button>
          ) : null}
          {canEdit ? (
            <ConfirmButton label={`Remove ${d.hostname}`} question={`Stop routing ${d.hostname}?`} confirmLabel="Remove" onConfirm={remove} size="sm">
              Remove
            </ConfirmButton>
          ) : null}
        </span>
      </div>
      {d.status === 'pending' ? (
        <div className="grid gap-2 rounded-md border border-zinc-200 bg-zinc-50 p-3 sm:grid-cols-[auto_1fr_1fr]">
          <div className="flex flex-col gap-1">
            <span className="text-xs font-medium text-zinc-700">Type</span>
            <span className="font-mono text-xs leading-9">{d.verification.type}</span>
          </div>
          <CopyField id={`${d.id}-name`} label="Name" value={d.verification.name} />
          <CopyField id={`${d.id}-value`} label="Value" value={d.verification.value} />
          <p className="text-xs text-zinc-500 sm:col-span-3">
            Create this TXT record at your DNS provider. Until it is verified{d.expiresAt ? ` (by ${formatDateTime(d.expiresAt)})` : ''}, nothing is routed to this name.
          </p>
        </div>
      ) : null}
      {d.status === 'expired' ? <p className="text-xs text-red-700">Not verified in time: remove it and add it again for a new record.</p> : null}
      {action.error ? (
        <p role="alert" className="text-xs text-red-600">
          {action.error}
        </p>
      ) : d.problem && d.status !== 'verified' ? (
        <p className="text-xs text-amber-800">
          Last check{d.lastCheckedAt ? ` (${formatDateTime(d.lastCheckedAt)})` : ''}: {d.problem}
        </p>
      ) : null}
    </li>
  );
}
