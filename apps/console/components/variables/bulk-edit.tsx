'use client';

import { bulkEnvVarsInputSchema, type BulkResultDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { Checkbox, TextAreaField } from '../ui/field';

type EnvParams = { org: string; project: string; env: string };

/** Paste a `.env` file; the api creates, updates or leaves each key and reports the counts. */
export function BulkEdit({ params, onDone, onClose }: { params: EnvParams; onDone: () => void; onClose: () => void }) {
  const action = useAction();
  const [dotenv, setDotenv] = useState('');
  const [secret, setSecret] = useState(false);
  const [result, setResult] = useState<BulkResultDto | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    const parsed = bulkEnvVarsInputSchema.safeParse({ dotenv, secret });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const res = await action.run(() => api('bulkVariables', { params, body: parsed.data }));
    if (!res) return;
    setResult(res);
    setDotenv('');
    onDone();
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Bulk edit variables"
      className="mb-4 flex flex-col gap-3 rounded-md border border-zinc-200 bg-zinc-50 p-4"
    >
      <ErrorAlert>{action.error}</ErrorAlert>
      {result ? (
        <Notice tone="success">
          {result.created} created, {result.updated} updated, {result.unchanged} unchanged
        </Notice>
      ) : null}
      <TextAreaField
        label=".env contents"
        rows={6}
        placeholder={'# One KEY=value per line\nDATABASE_URL=postgres://…\nLOG_LEVEL=info'}
        value={dotenv}
        onChange={(e) => setDotenv(e.target.value)}
        error={action.fieldErrors.dotenv}
        spellCheck={false}
      />
      <Checkbox label="Import all as secrets" checked={secret} onChange={(e) => setSecret(e.target.checked)} />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" busy={action.busy} disabled={!dotenv.trim()}>
          Import variables
        </Button>
        <Button onClick={onClose}>Close</Button>
      </div>
    </form>
  );
}
