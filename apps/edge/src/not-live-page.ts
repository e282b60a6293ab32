/** The page a visitor sees when a host has no live release (yet). */
export function notLivePage(host: string, requestId: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Nothing is live here</title>
<style>body{font:15px/1.5 system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;color:#222}main{max-width:34rem}code{background:#f3f3f3;padding:1px 4px;border-radius:3px}</style>
</head><body><main><h1>Nothing is live at ${esc(host)}</h1>
<p>No release of an app is deployed for this address yet. Push code with <code>git push slipway main</code> and it will answer here once the deployment is healthy.</p>
<p style="color:#888;font-size:12px">Slipway edge · request ${esc(requestId)}</p></main></body></html>`;
}
