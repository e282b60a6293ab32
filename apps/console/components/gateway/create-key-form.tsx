'use client';

import { GATEWAY_KEY_SCOPES, createGatewayKeyInputSchema, type CreatedGatewayKeyDto, type GatewayKeyScope } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { SubmitOrCancel } from '../ui/button';
import { Checkbox, SelectField, TextField } from '../ui/field';

const EXPIRY = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '365 days' },
  { value: 'never', label: 'Never' },
];

const SCOPE_HELP: Record<GatewayKeyScope, string> = {
  messages: 'POST /v1/messages and /v1/chat/completions',
  models: 'GET /v1/models',
};

export function CreateKeyForm({
  org,
  project,
  environments,
  onCreated,
  onCancel,
}: {
  org: string;
  project: string;
  environments: string[];
  onCreated: (key: CreatedGatewayKeyDto) => void;
  onCancel: () => void;
}) {
  const action = useAction();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<GatewayKeyScope[]>([...GATEWAY_KEY_SCOPES]);
  const [environment, setEnvironment] = useState('');
  const [expiry, setExpiry] = useState('90');
  const [budget, setBudget] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (budget.trim() !== '' && !Number.isFinite(Number(budget))) {
      return action.setError(null, { monthlyBudgetUsd: 'Give an amount in USD, e.g. 20 or 0.5.' });
    }
    const parsed = createGatewayKeyInputSchema.safeParse({
      name: name.trim(),
      scopes: GATEWAY_KEY_SCOPES.filter((s) => scopes.includes(s)),
      environment: environment || undefined,
      expiresInDays: expiry === 'never' ? null : Number(expiry),
      monthlyBudgetUsd: budget.trim() === '' ? null : Number(budget),
    });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const created = await action.run(() => api('createGatewayKey', { params: { org, project }, body: parsed.data }));
    if (created) onCreated(created);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Create gateway key"
      className="flex flex-col gap-4 rounded-md border border-zinc-200 p-3"
    >
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label="Key name"
          placeholder="local dev"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={action.fieldErrors.name}
        />
        <SelectField
          label="Environment"
          value={environment}
          onChange={(e) => setEnvironment(e.target.value)}
          error={action.fieldErrors.environment}
          hint="Its routing and release apply to the key's calls."
        >
          <option value="">All environments (organization routing)</option>
          {environments.map((env) => (
            <option key={env} value={env}>
              {env}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Expires after"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          error={action.fieldErrors.expiresInDays}
        >
          {EXPIRY.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Monthly budget (USD)"
          type="number"
          inputMode="decimal"
          min="0"
          step="any"
          placeholder="No cap"
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          error={action.fieldErrors.monthlyBudgetUsd}
        />
      </div>
      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1 text-xs font-medium text-zinc-700">Scopes</legend>
        {GATEWAY_KEY_SCOPES.map((s) => (
          <div key={s} className="flex items-center gap-2">
            <Checkbox
              label={s}
              checked={scopes.includes(s)}
              onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))}
            />
            <span className="text-xs text-zinc-500">— {SCOPE_HELP[s]}</span>
          </div>
        ))}
        {action.fieldErrors.scopes ? <p className="text-xs text-red-600">{action.fieldErrors.scopes}</p> : null}
      </fieldset>
      <SubmitOrCancel label="Create key" busy={action.busy} onCancel={onCancel} />
    </form>
  );
}
