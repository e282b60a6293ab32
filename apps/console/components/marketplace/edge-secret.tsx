'use client';

import { ShownOnce } from './shown-once-key';

/** The listing's proxy secret, shown once, with what the app does with it. */
export function EdgeSecretNotice({ secret }: { secret: string }) {
  return (
    <ShownOnce id="edge-secret" label="Proxy secret" value={secret}>
      <div className="text-xs text-amber-900">
        <p className="mb-1">
          The edge sends it to your app in the <code className="font-mono">slipway-proxy-secret</code> header of every call it admitted. Add
          it as a secret variable (e.g. <code className="font-mono">SLIPWAY_PROXY_SECRET</code>) of the environment and refuse calls without
          it, so nobody can bypass keys, limits and billing by calling the app&apos;s own host:
        </p>
        <pre className="overflow-x-auto rounded bg-white/70 p-2 font-mono">{`// Express
app.use((req, res, next) =>
  req.get('slipway-proxy-secret') === process.env.SLIPWAY_PROXY_SECRET
    ? next()
    : res.status(401).json({ error: 'call this API through its marketplace URL' }));`}</pre>
        <p className="mt-1">
          The app also receives <code className="font-mono">slipway-consumer-id</code>, <code className="font-mono">slipway-plan</code>,{' '}
          <code className="font-mono">slipway-key-mode</code> and <code className="font-mono">slipway-call-id</code> (forward it on model
          calls so per-token plans price them).
        </p>
      </div>
    </ShownOnce>
  );
}
