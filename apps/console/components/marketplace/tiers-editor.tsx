'use client';

import type { PlanFormState } from '../../lib/marketplace/plan-form';
import { Button } from '../ui/button';

/** Overage tiers of a subscription plan: up to N calls over the included ones, price per call, optional flat fee; only the last is open-ended. */
export function TiersEditor({
  form,
  set,
  errors,
}: {
  form: PlanFormState;
  set: (p: Partial<PlanFormState>) => void;
  errors: Record<string, string>;
}) {
  const update = (i: number, patch: Partial<PlanFormState['tiers'][number]>) =>
    set({ tiers: form.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const INPUT = 'h-8 w-32 rounded-md border border-zinc-300 px-2 text-sm';
  return (
    <div className="flex flex-col gap-1">
      <table aria-label="Overage tiers" className="text-sm">
        <thead>
          <tr className="text-left text-xs text-zinc-500">
            <th className="font-medium">Up to (calls over included; empty = no end)</th>
            <th className="font-medium">Price per call (USD)</th>
            <th className="font-medium">Flat fee (USD)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {form.tiers.map((t, i) => (
            <tr key={i}>
              <td className="pr-2 pb-1">
                <input
                  aria-label={`Tier ${i + 1} up to`}
                  className={INPUT}
                  value={t.upTo}
                  onChange={(e) => update(i, { upTo: e.target.value })}
                />
              </td>
              <td className="pr-2 pb-1">
                <input
                  aria-label={`Tier ${i + 1} price per call`}
                  className={INPUT}
                  value={t.unitPrice}
                  onChange={(e) => update(i, { unitPrice: e.target.value })}
                  aria-invalid={errors[`tiers.${i}.unitPrice`] ? true : undefined}
                />
              </td>
              <td className="pr-2 pb-1">
                <input
                  aria-label={`Tier ${i + 1} flat fee`}
                  className={INPUT}
                  value={t.flat}
                  onChange={(e) => update(i, { flat: e.target.value })}
                />
              </td>
              <td className="pb-1">
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={form.tiers.length <= 1}
                  onClick={() => set({ tiers: form.tiers.filter((_, j) => j !== i) })}
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.tiers ? <p className="text-xs text-red-600">{errors.tiers}</p> : null}
      <div>
        <Button size="sm" onClick={() => set({ tiers: [...form.tiers, { upTo: '', unitPrice: '', flat: '' }] })}>
          Add tier
        </Button>
      </div>
    </div>
  );
}
