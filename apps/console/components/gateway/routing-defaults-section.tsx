'use client';

import { useQueryClient } from '@tanstack/react-query';
import type { GatewayDefaultsDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { setApiQueryData, useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { TextAreaField } from '../ui/field';
import { Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';

/** Offline-safe: routes only to the built-in mock, so it saves without any provider set up. */
const EXAMPLE = {
  models: {
    default: { routes: [{ provider: 'mock', model: 'mock-smart' }] },
    fast: { routes: [{ provider: 'mock', model: 'mock-fast', maxAttempts: 2 }], fallbackOn: ['rate_limit', 'overloaded', 'timeout'] },
  },
  budgets: [{ name: 'daily', scope: 'project', period: 'day', limitUsd: 5, action: 'block' }],
  limits: { key: { requestsPerMinute: 600 } },
};

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** The organization's routing defaults as JSON (the slipway.yaml `gateway:` shape), checked by the api. */
export function RoutingDefaultsSection({ org, canEdit }: { org: string; canEdit: boolean }) {
  const defaults = useApiQuery('getGatewayDefaults', { org });
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  return (
    <Section
      title="Routing defaults"
      description={
        <span>
          Used by every environment whose live release has no <code className="font-mono">gateway:</code> section in slipway.yaml. Empty =
          the built-in aliases (default, fast, smart) on your first Anthropic, then OpenAI provider, else the mock.
        </span>
      }
    >
      <ResourceState query={defaults}>
        {(d) => (
          <DefaultsEditor
            org={org}
            defaults={d}
            canEdit={canEdit}
            onSaved={(saved) => {
              setApiQueryData(client, 'getGatewayDefaults', { org }, () => saved);
              // Environments without their own routing now resolve to the new defaults.
              void invalidate('effectiveGatewayRouting');
            }}
          />
        )}
      </ResourceState>
    </Section>
  );
}

interface Problems {
  message: string;
  /** `models.chat.routes.0.provider` → what is wrong there. */
  paths: { path: string; message: string }[];
}

function DefaultsEditor({
  org,
  defaults,
  canEdit,
  onSaved,
}: {
  org: string;
  defaults: GatewayDefaultsDto;
  canEdit: boolean;
  onSaved: (d: GatewayDefaultsDto) => void;
}) {
  const empty = Object.keys(defaults.config).length === 0;
  const [text, setText] = useState(empty ? '' : pretty(defaults.config));
  const [problems, setProblems] = useState<Problems | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    let config: unknown;
    try {
      config = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      return setProblems({ message: `This is not valid JSON: ${(err as Error).message}`, paths: [] });
    }
    setBusy(true);
    try {
      const result = await api('setGatewayDefaults', { params: { org }, body: { config } });
      setProblems(null);
      setSaved(true);
      onSaved(result);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const paths = (err.problem?.errors ?? []).map((p) => ({
        path: p.path.replace(/^config\.?/, '') || '(top level)',
        message: p.message,
      }));
      setProblems({ message: paths.length ? 'Nothing was saved. Fix these and save again:' : err.message, paths });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} noValidate aria-label="Routing defaults" className="flex flex-col gap-3">
      {saved ? <Notice tone="success">Saved. Environments without their own routing use it from their next request.</Notice> : null}
      {problems ? (
        <ErrorAlert>
          <p>{problems.message}</p>
          {problems.paths.length ? (
            <ul aria-label="Problems" className="mt-1 list-disc pl-5">
              {problems.paths.map((p, i) => (
                <li key={i}>
                  <code className="font-mono text-xs">{p.path}</code>: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </ErrorAlert>
      ) : null}
      <TextAreaField
        label="Defaults (JSON)"
        rows={16}
        spellCheck={false}
        readOnly={!canEdit}
        placeholder={
          canEdit
            ? 'No defaults: the built-in routing applies. Start from the example, or paste your own.'
            : 'No defaults: the built-in routing applies.'
        }
        value={text}
        onChange={(e) => setText(e.target.value)}
        className="text-xs"
        hint={defaults.updatedAt ? `Last changed ${formatDateTime(defaults.updatedAt)}.` : 'Never set.'}
      />
      {canEdit ? (
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="primary" busy={busy}>
            Save defaults
          </Button>
          <Button onClick={() => setText(pretty(EXAMPLE))} disabled={busy}>
            Use the example
          </Button>
          <Button variant="ghost" onClick={() => setText('')} disabled={busy}>
            Clear (built-in routing)
          </Button>
        </div>
      ) : null}
    </form>
  );
}
