'use client';

import { DEFAULT_RESOURCES, createEnvironmentInputSchema, updateEnvironmentInputSchema, type EnvironmentDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { SubmitOrCancel } from '../ui/button';
import { TextField } from '../ui/field';

interface Props {
  org: string;
  project: string;
  /** Present when editing; absent when adding. */
  environment?: EnvironmentDto;
  onSaved: (env: EnvironmentDto) => void;
  onCancel: () => void;
}

const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

export function EnvironmentForm({ org, project, environment, onSaved, onCancel }: Props) {
  const action = useAction();
  const [form, setForm] = useState({
    name: environment?.name ?? '',
    branch: environment?.branch ?? '',
    memoryMb: String(environment?.memoryMb ?? DEFAULT_RESOURCES.memoryMb),
    cpuMillis: String(environment?.cpuMillis ?? DEFAULT_RESOURCES.cpuMillis),
    replicas: String(environment?.replicas ?? DEFAULT_RESOURCES.replicas),
    healthCheckPath: environment?.healthCheckPath ?? '/',
  });
  const [autoRollback, setAutoRollback] = useState(environment?.autoRollback ?? false);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const err = action.fieldErrors;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const values = {
      branch: form.branch.trim(),
      memoryMb: num(form.memoryMb),
      cpuMillis: num(form.cpuMillis),
      replicas: num(form.replicas),
      healthCheckPath: form.healthCheckPath.trim() || '/',
    };
    if (environment) {
      const parsed = updateEnvironmentInputSchema.safeParse({ ...values, autoRollback });
      if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
      const saved = await action.run(() =>
        api('updateEnvironment', { params: { org, project, env: environment.name }, body: parsed.data }),
      );
      if (saved) onSaved(saved);
    } else {
      const parsed = createEnvironmentInputSchema.safeParse({ ...values, name: form.name.trim() });
      if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
      const saved = await action.run(() => api('createEnvironment', { params: { org, project }, body: parsed.data }));
      if (saved) onSaved(saved);
    }
  }

  const title = environment ? `Edit ${environment.name}` : 'Add environment';
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={title}
      className="mt-4 flex flex-col gap-3 rounded-md border border-zinc-200 bg-zinc-50 p-4"
    >
      <h3 className="text-sm font-semibold">{title}</h3>
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-3">
        {environment ? null : (
          <TextField
            label="Environment name"
            placeholder="staging"
            value={form.name}
            onChange={set('name')}
            error={err.name}
            className="font-mono"
          />
        )}
        <TextField
          label="Branch"
          placeholder="main"
          value={form.branch}
          onChange={set('branch')}
          error={err.branch}
          className="font-mono"
        />
        <TextField
          label="Health check path"
          value={form.healthCheckPath}
          onChange={set('healthCheckPath')}
          error={err.healthCheckPath}
          className="font-mono"
        />
        <TextField
          label="Memory (MB)"
          type="number"
          min={64}
          step={64}
          value={form.memoryMb}
          onChange={set('memoryMb')}
          error={err.memoryMb}
        />
        <TextField
          label="CPU (millicores)"
          type="number"
          min={50}
          step={50}
          value={form.cpuMillis}
          onChange={set('cpuMillis')}
          error={err.cpuMillis}
        />
        <TextField label="Replicas" type="number" min={1} max={20} value={form.replicas} onChange={set('replicas')} error={err.replicas} />
      </div>
      {environment ? (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-1" checked={autoRollback} onChange={(e) => setAutoRollback(e.target.checked)} />
          <span>
            <span className="font-medium">Roll back automatically</span>
            <span className="block text-zinc-600">
              When a new release&apos;s verdict turns faulty (its 5xx rate or p95 latency far above the previous release&apos;s in its
              first minutes), go back to the previous release, once.
            </span>
          </span>
        </label>
      ) : null}
      <SubmitOrCancel label={environment ? 'Save changes' : 'Add environment'} busy={action.busy} onCancel={onCancel} />
    </form>
  );
}
