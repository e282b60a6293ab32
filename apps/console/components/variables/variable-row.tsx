'use client';

import { MASK, type EnvVarDto } from '@slipway/contracts';
import { useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge } from '../ui/layout-bits';
import { Td } from '../ui/table';
import { EditValue } from './edit-value';
import { VariableVersions } from './variable-versions';

type EnvParams = { org: string; project: string; env: string };

interface Props {
  variable: EnvVarDto;
  params: EnvParams;
  canEdit: boolean;
  onChanged: () => void;
}

export function VariableRow({ variable: v, params, canEdit, onChanged }: Props) {
  const [revealed, setRevealed] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState(false);
  const action = useAction();
  const keyParams = { ...params, key: v.key };

  async function reveal() {
    const res = await action.run(() => api('revealVariable', { params: keyParams }));
    if (res) setRevealed(res.value);
  }

  async function remove() {
    const done = await action.run(async () => {
      await api('deleteVariable', { params: keyParams });
      return true;
    });
    if (done) onChanged();
  }

  const shown = v.secret ? (revealed ?? MASK) : v.value;
  return (
    <>
      <tr aria-label={v.key}>
        <Td className="font-mono text-xs font-medium whitespace-nowrap">
          {v.key} {v.secret ? <Badge tone="amber">secret</Badge> : null}
        </Td>
        <Td className="max-w-md">
          {editing ? (
            <EditValue
              variable={v}
              params={keyParams}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                setRevealed(null);
                onChanged();
              }}
            />
          ) : (
            <span aria-label={`Value of ${v.key}`} className="block truncate font-mono text-xs text-zinc-700">
              {shown === '' ? <span className="text-zinc-400">(empty)</span> : shown}
            </span>
          )}
          {action.error ? (
            <p role="alert" className="mt-1 text-xs text-red-600">
              {action.error}
            </p>
          ) : null}
        </Td>
        <Td className="text-xs text-zinc-600">v{v.version}</Td>
        <Td className="text-xs whitespace-nowrap text-zinc-500">
          {formatDateTime(v.updatedAt)}
          {v.updatedBy ? <span className="block text-zinc-400">{v.updatedBy}</span> : null}
        </Td>
        <Td className="text-right whitespace-nowrap">
          {v.secret && canEdit ? (
            revealed === null ? (
              <Button size="sm" variant="ghost" aria-label={`Reveal ${v.key}`} busy={action.busy} onClick={reveal}>
                Reveal
              </Button>
            ) : (
              <Button size="sm" variant="ghost" aria-label={`Hide ${v.key}`} onClick={() => setRevealed(null)}>
                Hide
              </Button>
            )
          ) : null}
          {canEdit && !editing ? (
            <Button size="sm" variant="ghost" aria-label={`Edit ${v.key}`} onClick={() => setEditing(true)}>
              Edit
            </Button>
          ) : null}
          <Button
            size="sm"
            variant="ghost"
            aria-label={`History of ${v.key}`}
            aria-expanded={history}
            onClick={() => setHistory((h) => !h)}
          >
            History
          </Button>
          {canEdit ? (
            <ConfirmButton label={`Delete ${v.key}`} question={`Delete ${v.key}?`} confirmLabel="Delete" onConfirm={remove}>
              Delete
            </ConfirmButton>
          ) : null}
        </Td>
      </tr>
      {history ? (
        <tr>
          <Td colSpan={5} className="bg-zinc-50">
            <VariableVersions params={keyParams} currentVersion={v.version} />
          </Td>
        </tr>
      ) : null}
    </>
  );
}
