'use client';

import { useState } from 'react';
import { firstCallSnippet, type GatewayBaseUrls, type SnippetKind } from '../../lib/gateway';
import { CopyButton, CopyField } from '../ui/copy-button';
import { Section } from '../ui/layout-bits';

const TABS: { kind: SnippetKind; label: string }[] = [
  { kind: 'curl', label: 'curl' },
  { kind: 'anthropic', label: 'Anthropic SDK' },
  { kind: 'openai', label: 'OpenAI SDK' },
];

/** Where SDKs point and a first call to paste; deployed apps get the same values as environment variables. */
export function ConnectSection({ urls, model, freshKey }: { urls: GatewayBaseUrls; model: string; freshKey: string | null }) {
  return (
    <Section
      title="Call the gateway"
      description="The official SDKs work unchanged: point them at these base URLs with a gateway key. Deployed apps get all four variables automatically."
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <CopyField id="anthropic-base-url" label="ANTHROPIC_BASE_URL" value={urls.anthropic} />
        <CopyField id="openai-base-url" label="OPENAI_BASE_URL" value={urls.openai} />
      </div>
      <div className="mt-4">
        <Snippet urls={urls} model={model} freshKey={freshKey} label="First call" />
      </div>
    </Section>
  );
}

/** A code sample in three flavours with a copy button; also the requests table's empty state. */
export function Snippet({
  urls,
  model,
  freshKey,
  label,
}: {
  urls: GatewayBaseUrls;
  model: string;
  freshKey: string | null;
  label: string;
}) {
  const [kind, setKind] = useState<SnippetKind>('curl');
  const code = firstCallSnippet(kind, urls, model, freshKey ?? undefined);
  return (
    <div className="rounded-md border border-zinc-200">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-2 py-1">
        <div role="tablist" aria-label={`${label} as`} className="flex gap-1">
          {TABS.map((t) => (
            <button
              key={t.kind}
              type="button"
              role="tab"
              aria-selected={t.kind === kind}
              onClick={() => setKind(t.kind)}
              className={`rounded px-2 py-1 text-xs ${t.kind === kind ? 'bg-white font-medium text-zinc-900 shadow-xs ring-1 ring-zinc-200' : 'text-zinc-600 hover:text-zinc-900'}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <CopyButton value={code} label={`Copy ${label.toLowerCase()}`} />
      </div>
      <pre aria-label={label} className="overflow-x-auto p-3 font-mono text-xs leading-relaxed text-zinc-800">
        {code}
      </pre>
      {freshKey ? null : (
        <p className="border-t border-zinc-200 px-3 py-1.5 text-xs text-zinc-500">
          Set <code className="font-mono">SLIPWAY_GATEWAY_KEY</code> to a key created below (a new key fills itself in here while it is
          shown).
        </p>
      )}
    </div>
  );
}
