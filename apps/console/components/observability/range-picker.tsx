'use client';

import { useState, type FormEvent } from 'react';
import { fromLocalInput, PRESET_LABELS, RANGE_PRESETS, resolveRange, toLocalInput, type TimeRange } from '../../lib/observability/range';

/**
 * The page's time range: presets that end now (live), or a custom from/to. The choice goes
 * into the URL (the page reads it back), so a link shares it and the back button restores it.
 */
export function RangePicker({ range, onChange }: { range: TimeRange; onChange: (r: TimeRange) => void }) {
  const [custom, setCustom] = useState(range.kind === 'custom');
  const initial = resolveRange(range, Date.now());
  const [from, setFrom] = useState(toLocalInput(initial.from));
  const [to, setTo] = useState(toLocalInput(initial.to));
  const [error, setError] = useState<string | null>(null);

  function apply(e: FormEvent) {
    e.preventDefault();
    const f = fromLocalInput(from);
    const t = fromLocalInput(to);
    if (f === null || t === null) return setError('Enter both dates and times.');
    if (f >= t) return setError('"From" must be before "to".');
    setError(null);
    onChange({ kind: 'custom', from: f, to: t });
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Time range" className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5">
        {RANGE_PRESETS.map((p) => {
          const on = range.kind === 'preset' && range.preset === p;
          return (
            <button
              key={p}
              type="button"
              aria-pressed={on}
              aria-label={`Last ${PRESET_LABELS[p]}`}
              onClick={() => {
                setCustom(false);
                onChange({ kind: 'preset', preset: p });
              }}
              className={`rounded px-2.5 py-1 text-sm ${on ? 'bg-zinc-900 font-medium text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
            >
              {p}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={range.kind === 'custom'}
          aria-expanded={custom}
          onClick={() => setCustom((c) => !c)}
          className={`rounded px-2.5 py-1 text-sm ${range.kind === 'custom' ? 'bg-zinc-900 font-medium text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
        >
          Custom
        </button>
      </div>
      {custom ? (
        <form onSubmit={apply} className="flex flex-wrap items-center gap-2 text-sm" aria-label="Custom range">
          <label className="flex items-center gap-1 text-xs text-zinc-600">
            From
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              className="rounded border border-zinc-300 px-1.5 py-0.5 text-sm"
            />
          </label>
          <label className="flex items-center gap-1 text-xs text-zinc-600">
            To
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              className="rounded border border-zinc-300 px-1.5 py-0.5 text-sm"
            />
          </label>
          <button type="submit" className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-zinc-50">
            Apply
          </button>
          {error ? (
            <span role="alert" className="text-xs text-red-700">
              {error}
            </span>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
