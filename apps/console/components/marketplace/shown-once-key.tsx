'use client';

import { CopyField } from '../ui/copy-button';

/** A secret the api returns once (a consumer key, a listing's proxy secret): copy it now, it will not be shown again. */
export function ShownOnce({ id, label, value, children }: { id: string; label: string; value: string; children?: React.ReactNode }) {
  return (
    <div
      role="region"
      aria-label={`${label} (shown once)`}
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3"
    >
      <p className="text-sm font-medium text-amber-900">Copy it now: it will not be shown again. Slipway keeps only its hash.</p>
      <CopyField id={id} label={label} value={value} />
      {children}
    </div>
  );
}
