'use client';

import { envVarKeySchema, upsertEnvVarInputSchema } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Checkbox, TextField } from '../ui/field';

type EnvParams = { org: string; project: string; env: string };

export function AddVariableForm({ params, onSaved }: { params: EnvParams; onSaved: () => void }) {
  const action = useAction();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [secret, setSecret] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const keyCheck = envVarKeySchema.safeParse(key.trim());
    if (!key.trim()) return action.setError(null, { key: 'Enter a key.' });
    if (!keyCheck.success) return action.setError(null, { key: keyCheck.error.issues[0]?.message ?? 'Invalid key.' });
    const body = upsertEnvVarInputSchema.safeParse({ value, secret });
    if (!body.success) return action.setError(null, zodFieldErrors(body.error.issues));
    const saved = await action.run(() => api('setVariable', { params: { ...params, key: keyCheck.data }, body: body.data }));
    if (!saved) return;
    setKey('');
    setValue('');
    setSecret(false);
    onSaved();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Add variable" className="mt-4 flex flex-col gap-3 border-t border-zinc-100 pt-4">
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-[1fr_2fr_auto_auto] sm:items-start">
        <TextField
          label="Key"
          placeholder="DATABASE_URL"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          error={action.fieldErrors.key}
          className="font-mono"
          autoComplete="off"
        />
        <TextField
          label="Value"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={action.fieldErrors.value}
          className="font-mono"
          autoComplete="off"
          type={secret ? 'password' : 'text'}
        />
        <Checkbox label="Secret" checked={secret} onChange={(e) => setSecret(e.target.checked)} className="sm:mt-7" />
        <Button type="submit" variant="primary" busy={action.busy} className="sm:mt-5">
          Add variable
        </Button>
      </div>
    </form>
  );
}
