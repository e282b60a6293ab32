'use client';

import { upsertEnvVarInputSchema, type EnvVarDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { Button } from '../ui/button';

type KeyParams = { org: string; project: string; env: string; key: string };

/** Inline editor for one value; a secret starts empty because its value is never sent to us. */
export function EditValue({
  variable,
  params,
  onSaved,
  onCancel,
}: {
  variable: EnvVarDto;
  params: KeyParams;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const action = useAction();
  const [value, setValue] = useState(variable.secret ? '' : variable.value);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = upsertEnvVarInputSchema.safeParse({ value, secret: variable.secret });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const saved = await action.run(() => api('setVariable', { params, body: parsed.data }));
    if (saved) onSaved();
  }

  const error = action.fieldErrors.value ?? action.error;
  return (
    <form onSubmit={submit} noValidate className="flex items-center gap-1.5">
      <input
        aria-label={`New value for ${variable.key}`}
        type={variable.secret ? 'password' : 'text'}
        placeholder={variable.secret ? 'New secret value' : ''}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus
        aria-invalid={error ? true : undefined}
        className="h-7 w-full min-w-40 rounded-md border border-zinc-300 bg-white px-2 font-mono text-xs focus:outline-2 focus:outline-blue-600"
      />
      <Button size="sm" type="submit" variant="primary" busy={action.busy} aria-label={`Save ${variable.key}`}>
        Save
      </Button>
      <Button size="sm" variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      ) : null}
    </form>
  );
}
