'use client';

import { DRILL_FAULT_STATUSES, startGatewayDrillInputSchema, type GatewayConfig, type GatewayDrillDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { aliasesOf, routeKey } from '../../lib/gateway';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField, TextField } from '../ui/field';

interface RouteOption {
  value: string;
  alias: string;
  route: string;
  label: string;
}

/** Every route of every alias, in routing order: a drill breaks one route and loads its alias. */
function routeOptions(config: GatewayConfig | null): RouteOption[] {
  if (!config) return [];
  return aliasesOf(config).flatMap((a) =>
    a.routes.map((r, i) => ({
      value: `${a.alias}|${routeKey(r)}`,
      alias: a.alias,
      route: routeKey(r),
      label: `${a.alias} · route ${i + 1} of ${a.routes.length}: ${routeKey(r)}`,
    })),
  );
}

export function DrillForm({
  org,
  project,
  env,
  config,
  running,
  onStarted,
}: {
  org: string;
  project: string;
  env: string;
  config: GatewayConfig | null;
  running: boolean;
  onStarted: (drill: GatewayDrillDto) => void;
}) {
  const action = useAction();
  const options = routeOptions(config);
  const [picked, setPicked] = useState('');
  const [kind, setKind] = useState<'status' | 'timeout'>('status');
  const [status, setStatus] = useState('503');
  const [duration, setDuration] = useState('10');
  const [concurrency, setConcurrency] = useState('4');
  const option = options.find((o) => o.value === picked) ?? options[0];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = startGatewayDrillInputSchema.safeParse({
      route: option?.route,
      alias: option?.alias,
      fault: kind === 'status' ? { kind, status: Number(status) } : { kind },
      durationSeconds: Number(duration),
      concurrency: Number(concurrency),
    });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const drill = await action.run(() => api('startGatewayDrill', { params: { org, project, env }, body: parsed.data }));
    if (drill) onStarted(drill);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Run a failover drill"
      className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3"
    >
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <SelectField
          label="Route to break"
          value={option?.value ?? ''}
          onChange={(e) => setPicked(e.target.value)}
          error={action.fieldErrors.route ?? action.fieldErrors.alias}
          fieldClassName="lg:col-span-2"
          disabled={options.length === 0}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Fault"
          value={kind}
          onChange={(e) => setKind(e.target.value as 'status' | 'timeout')}
          error={action.fieldErrors.kind}
        >
          <option value="status">HTTP error</option>
          <option value="timeout">Timeout (route hangs)</option>
        </SelectField>
        {kind === 'status' ? (
          <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value)} error={action.fieldErrors.status}>
            {DRILL_FAULT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
        ) : (
          <div />
        )}
        <div className="grid grid-cols-2 gap-3">
          <TextField
            label="Seconds"
            type="number"
            min={5}
            max={60}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            error={action.fieldErrors.durationSeconds}
          />
          <TextField
            label="Concurrency"
            type="number"
            min={1}
            max={8}
            value={concurrency}
            onChange={(e) => setConcurrency(e.target.value)}
            error={action.fieldErrors.concurrency}
          />
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" busy={action.busy} disabled={running || options.length === 0}>
          Run drill
        </Button>
        <span className="text-xs text-zinc-500">
          {running
            ? 'A drill is running in this environment; its report appears below when it ends.'
            : 'While it runs, your organization’s other calls to this route through the same api process see the fault too.'}
        </span>
      </div>
    </form>
  );
}
