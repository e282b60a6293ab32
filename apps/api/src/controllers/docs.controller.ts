import { Controller, Get, Header, Inject } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { buildOpenApiDocument } from '@slipway/contracts';
import { Public } from '../http/route.decorator';

/** The OpenAPI document generated from the zod contracts, and a page that renders it. */
@Controller('api/docs')
@Public()
export class DocsController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(CONFIG) config: Config) {
    this.document = buildOpenApiDocument(config.PUBLIC_API_URL);
  }

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.document;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return renderDocsPage(this.document);
  }
}

/** A dependency-free reference page: one section per operation, schemas as JSON. */
function renderDocsPage(doc: Record<string, unknown>): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const paths = doc.paths as Record<string, Record<string, { summary: string; description: string; operationId: string; requestBody?: unknown; responses: unknown }>>;
  const ops = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => `
<section id="${op.operationId}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}. ${esc(op.description)}</p>
${op.requestBody ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : ''}
<details><summary>Responses</summary><pre>${esc(JSON.stringify(op.responses, null, 2))}</pre></details></section>`),
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>Slipway API</title><style>
body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#111}
h3{font-size:15px;margin:1.5rem 0 .25rem}.m{display:inline-block;min-width:4.5em;font:12px monospace;padding:2px 6px;border-radius:4px;background:#eee}
.get{background:#dbeafe}.post{background:#dcfce7}.put,.patch{background:#fef9c3}.delete{background:#fee2e2}pre{background:#f6f6f6;padding:.75rem;overflow:auto;font-size:12px}
</style></head><body><h1>Slipway API</h1><p>Base URL <code>/api/v1</code>. Errors are <code>application/problem+json</code> with a stable <code>code</code>.
Machine-readable: <a href="/api/docs/openapi.json">openapi.json</a>.</p>${ops.join('')}</body></html>`;
}
