'use client';

import {
  PROVIDER_DEFAULT_BASE_URLS,
  PROVIDER_KINDS,
  createProviderInputSchema,
  type ProviderDto,
  type ProviderKind,
} from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { SubmitOrCancel } from '../ui/button';
import { SelectField, TextField } from '../ui/field';

const KIND_LABEL: Record<ProviderKind, string> = {
  ANTHROPIC: 'Anthropic',
  OPENAI: 'OpenAI',
  OPENAI_COMPATIBLE: 'OpenAI-compatible (any base URL)',
};
const SUGGESTED_NAME: Record<ProviderKind, string> = { ANTHROPIC: 'anthropic', OPENAI: 'openai', OPENAI_COMPATIBLE: '' };

export function AddProviderForm({ org, onAdded, onCancel }: { org: string; onAdded: (p: ProviderDto) => void; onCancel: () => void }) {
  const action = useAction();
  const [kind, setKind] = useState<ProviderKind>('ANTHROPIC');
  const [name, setName] = useState(SUGGESTED_NAME.ANTHROPIC);
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');

  function pickKind(next: ProviderKind) {
    // Keep a name the user typed; follow the kind while it is still the suggestion.
    if (name === SUGGESTED_NAME[kind]) setName(SUGGESTED_NAME[next]);
    setKind(next);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = createProviderInputSchema.safeParse({ kind, name: name.trim(), baseUrl: baseUrl.trim() || undefined, apiKey });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const created = await action.run(() => api('createGatewayProvider', { params: { org }, body: parsed.data }));
    if (created) {
      setApiKey('');
      onAdded(created);
    }
  }

  const defaultUrl = PROVIDER_DEFAULT_BASE_URLS[kind];
  return (
    <form onSubmit={submit} noValidate aria-label="Add provider" className="flex flex-col gap-4 rounded-md border border-zinc-200 p-3">
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Kind" value={kind} onChange={(e) => pickKind(e.target.value as ProviderKind)} error={action.fieldErrors.kind}>
          {PROVIDER_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Provider name"
          placeholder="my-llm"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={action.fieldErrors.name}
          hint="Routes name it as provider: <name>."
        />
        <TextField
          label="Base URL"
          type="url"
          placeholder={defaultUrl ?? 'https://llm.example.com'}
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          error={action.fieldErrors.baseUrl}
          hint={defaultUrl ? `Leave empty for ${defaultUrl}.` : 'Required: where the OpenAI-compatible API answers.'}
        />
        <TextField
          label="API key"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          error={action.fieldErrors.apiKey}
          hint="Stored encrypted; never shown again."
        />
      </div>
      <SubmitOrCancel label="Add provider" busy={action.busy} onCancel={onCancel} />
    </form>
  );
}
