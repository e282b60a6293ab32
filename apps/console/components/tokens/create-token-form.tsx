'use client';

import { TOKEN_SCOPES, createTokenInputSchema, type CreatedTokenDto, type TokenScope } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Checkbox, SelectField, TextField } from '../ui/field';

const EXPIRY = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '365 days' },
  { value: 'never', label: 'Never' },
];

const SCOPE_HELP: Record<TokenScope, string> = {
  'projects:read': 'list and read projects',
  'projects:write': 'create and change projects and environments',
  'secrets:read': 'read variables and reveal secrets',
  'secrets:write': 'set and delete variables',
  deploy: 'git push to deploy',
};

export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedTokenDto) => void }) {
  const action = useAction();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>([]);
  const [expiry, setExpiry] = useState('30');

  function toggle(scope: TokenScope, on: boolean) {
    setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ordered = TOKEN_SCOPES.filter((s) => scopes.includes(s));
    const parsed = createTokenInputSchema.safeParse({ name, scopes: ordered, expiresInDays: expiry === 'never' ? null : Number(expiry) });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const token = await action.run(() => api('createToken', { body: parsed.data }));
    if (token) onCreated(token);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Create token" className="flex flex-col gap-4">
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Token name"
          placeholder="CI deploys"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={action.fieldErrors.name}
        />
        <SelectField label="Expiration" value={expiry} onChange={(e) => setExpiry(e.target.value)} error={action.fieldErrors.expiresInDays}>
          {EXPIRY.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1 text-xs font-medium text-zinc-700">Scopes</legend>
        {TOKEN_SCOPES.map((s) => (
          <div key={s} className="flex items-center gap-2">
            <Checkbox label={s} checked={scopes.includes(s)} onChange={(e) => toggle(s, e.target.checked)} />
            <span className="text-xs text-zinc-500">— {SCOPE_HELP[s]}</span>
          </div>
        ))}
        {action.fieldErrors.scopes ? <p className="text-xs text-red-600">{action.fieldErrors.scopes}</p> : null}
      </fieldset>
      <div>
        <Button type="submit" variant="primary" busy={action.busy}>
          Create token
        </Button>
      </div>
    </form>
  );
}
