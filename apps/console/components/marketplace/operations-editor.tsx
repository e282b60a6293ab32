'use client';

import type { BillableOperation } from '@slipway/contracts';
import { Button } from '../ui/button';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*'] as const;
const INPUT = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm';

/**
 * The billable operations of a listing: method, path pattern (`/forecast`, `/v1/items/*` one
 * segment, `/v1/**` the rest) and weight (quota units one call uses). Errors from the api are
 * shown at their row (`operations.<i>.<field>`).
 */
export function OperationsEditor({
  value,
  onChange,
  errors = {},
}: {
  value: BillableOperation[];
  onChange: (ops: BillableOperation[]) => void;
  errors?: Record<string, string>;
}) {
  const set = (i: number, patch: Partial<BillableOperation>) => onChange(value.map((op, j) => (j === i ? { ...op, ...patch } : op)));
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-xs font-medium text-zinc-700">Billable operations</legend>
      <table aria-label="Billable operations" className="text-sm">
        <thead>
          <tr className="text-left text-xs text-zinc-500">
            <th className="pr-2 font-medium">Method</th>
            <th className="pr-2 font-medium">Path pattern</th>
            <th className="pr-2 font-medium">Weight</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {value.map((op, i) => (
            <tr key={i} aria-label={`Operation ${i + 1}`}>
              <td className="pr-2 pb-1">
                <select
                  aria-label={`Method of operation ${i + 1}`}
                  className={INPUT}
                  value={op.method}
                  onChange={(e) => set(i, { method: e.target.value as BillableOperation['method'] })}
                >
                  {METHODS.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </td>
              <td className="pr-2 pb-1">
                <input
                  aria-label={`Path of operation ${i + 1}`}
                  className={`${INPUT} w-64 font-mono`}
                  value={op.path}
                  onChange={(e) => set(i, { path: e.target.value })}
                  aria-invalid={errors[`${i}.path`] ? true : undefined}
                />
                {errors[`${i}.path`] ? <p className="text-xs text-red-600">{errors[`${i}.path`]}</p> : null}
              </td>
              <td className="pr-2 pb-1">
                <input
                  aria-label={`Weight of operation ${i + 1}`}
                  type="number"
                  min={1}
                  max={1000}
                  className={`${INPUT} w-20`}
                  value={op.weight}
                  onChange={(e) => set(i, { weight: Number(e.target.value) })}
                />
                {errors[`${i}.weight`] ? <p className="text-xs text-red-600">{errors[`${i}.weight`]}</p> : null}
              </td>
              <td className="pb-1">
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove operation ${i + 1}`}
                  onClick={() => onChange(value.filter((_, j) => j !== i))}
                  disabled={value.length <= 1}
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.operations ? <p className="text-xs text-red-600">{errors.operations}</p> : null}
      <div>
        <Button size="sm" onClick={() => onChange([...value, { method: 'GET', path: '/', weight: 1 }])}>
          Add operation
        </Button>
      </div>
    </fieldset>
  );
}

/** Field errors of the api keyed the editor's way: "body.operations.1.path" → "1.path". */
export function operationErrors(problemErrors: readonly { path: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problemErrors ?? []) {
    const m = /operations[./](\d+)[./](\w+)/.exec(e.path);
    if (m) out[`${m[1]}.${m[2]}`] ??= e.message;
    else if (/operations$/.test(e.path)) out.operations ??= e.message;
  }
  return out;
}
