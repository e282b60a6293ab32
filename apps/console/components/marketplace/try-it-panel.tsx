'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { TRY_METHODS, type TryAnswer } from '../../lib/marketplace/try-call';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField, TextAreaField, TextField } from '../ui/field';

export interface TryPreset {
  method: string;
  path: string;
  body: string;
}

/**
 * Sends one call to the listing's host at the edge through the console's server
 * (`/catalog/<slug>/try`: the edge answers no CORS for listing hosts) and shows the status, the
 * rate-limit headers and the body, as a consumer's client would see them.
 */
export function TryItPanel({ slug, baseUrl, apiKey, preset }: { slug: string; baseUrl: string; apiKey: string | null; preset: TryPreset }) {
  const [method, setMethod] = useState(preset.method);
  const [path, setPath] = useState(preset.path);
  const [body, setBody] = useState(preset.body);
  const [key, setKey] = useState(apiKey ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<TryAnswer | null>(null);

  useEffect(() => {
    setMethod(preset.method);
    setPath(preset.path);
    setBody(preset.body);
  }, [preset]);
  useEffect(() => {
    if (apiKey) setKey(apiKey);
  }, [apiKey]);

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/catalog/${encodeURIComponent(slug)}/try`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method, path, apiKey: key.trim() || undefined, body: method === 'GET' ? undefined : body }),
      });
      const data = (await res.json()) as TryAnswer & { detail?: string };
      if (!res.ok) setError(data.detail ?? `The console answered ${res.status}.`);
      else setAnswer(data);
    } catch {
      setError('Cannot reach the console. Check your connection and retry.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={send} aria-label="Try it" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <SelectField label="Method" value={method} onChange={(e) => setMethod(e.target.value)} fieldClassName="w-28">
          {TRY_METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </SelectField>
        <TextField
          label="Path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          fieldClassName="min-w-64 flex-1"
          className="font-mono"
          hint={`Sent to ${baseUrl}`}
        />
      </div>
      <TextField
        label="API key"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        placeholder="swk_test_… or swk_live_…"
        className="font-mono"
        autoComplete="off"
        hint="Test keys (swk_test_) go through the same limits and are never billed."
      />
      {method !== 'GET' ? <TextAreaField label="Body (JSON)" rows={4} value={body} onChange={(e) => setBody(e.target.value)} /> : null}
      <div>
        <Button type="submit" variant="primary" busy={busy}>
          Send
        </Button>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {answer ? (
        <div role="region" aria-label="Answer" className="flex flex-col gap-2 rounded-md border border-zinc-200 p-3">
          <p className="text-sm">
            <span className="font-semibold" aria-label="Answer status">
              {answer.status === 0 ? 'No answer' : answer.status}
            </span>{' '}
            <span className="text-zinc-500">in {answer.durationMs} ms</span>
          </p>
          {Object.keys(answer.headers).length ? (
            <dl aria-label="Answer headers" className="grid grid-cols-[auto_1fr] gap-x-3 font-mono text-xs">
              {Object.entries(answer.headers).map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-zinc-500">{k}</dt>
                  <dd className="break-all">{v}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <pre aria-label="Answer body" className="max-h-80 overflow-auto rounded bg-zinc-50 p-2 font-mono text-xs">
            {answer.body}
            {answer.truncated ? '\n… (cut at 256 KB)' : ''}
          </pre>
        </div>
      ) : null}
    </form>
  );
}
