'use client';

import { useMemo } from 'react';
import { readApiReference, type RefOperation, type SchemaView } from '../../lib/marketplace/openapi';
import { Empty } from '../ui/layout-bits';

const METHOD_TONES: Record<string, string> = {
  GET: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  POST: 'bg-blue-50 text-blue-800 ring-blue-200',
  PUT: 'bg-amber-50 text-amber-800 ring-amber-200',
  PATCH: 'bg-amber-50 text-amber-800 ring-amber-200',
  DELETE: 'bg-red-50 text-red-800 ring-red-200',
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={`inline-block w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ring-1 ring-inset ${METHOD_TONES[method] ?? 'bg-zinc-100 text-zinc-700 ring-zinc-200'}`}
    >
      {method}
    </span>
  );
}

/**
 * The API reference rendered from the listing's OpenAPI document: one block per operation with
 * its parameters, request body and responses (schemas as nested property lists). Our own
 * rendering rather than Scalar's: see docs/marketplace.md (console walkthrough).
 */
export function ApiReferenceView({ document, onTry }: { document: Record<string, unknown> | null; onTry?: (op: RefOperation) => void }) {
  const ref = useMemo(() => readApiReference(document), [document]);
  if (!document) return <Empty>The publisher has not provided an OpenAPI document yet.</Empty>;
  if (ref.operations.length === 0) return <Empty>The OpenAPI document lists no operations.</Empty>;
  return (
    <div className="flex flex-col gap-3">
      {ref.description ? <p className="text-sm text-zinc-600">{ref.description}</p> : null}
      <nav aria-label="Operations" className="flex flex-col gap-1">
        {ref.operations.map((op) => (
          <a key={op.id} href={`#${op.id}`} className="flex items-center gap-2 text-sm hover:underline">
            <MethodBadge method={op.method} />
            <code className="font-mono text-zinc-900">{op.path}</code>
            <span className="text-zinc-500">{op.summary}</span>
          </a>
        ))}
      </nav>
      {ref.operations.map((op) => (
        <article key={op.id} id={op.id} aria-label={`${op.method} ${op.path}`} className="scroll-mt-20 rounded-md border border-zinc-200">
          <header className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-2">
            <MethodBadge method={op.method} />
            <code className="font-mono text-sm font-medium">{op.path}</code>
            <span className="flex-1 text-sm text-zinc-600">{op.summary}</span>
            {onTry ? (
              <button type="button" className="text-xs font-medium text-blue-700 hover:underline" onClick={() => onTry(op)}>
                Try it
              </button>
            ) : null}
          </header>
          <div className="flex flex-col gap-3 px-3 py-2 text-sm">
            {op.description ? <p className="text-zinc-600">{op.description}</p> : null}
            {op.parameters.length ? (
              <div>
                <h4 className="mb-1 text-xs font-semibold text-zinc-700">Parameters</h4>
                <ul className="flex flex-col gap-1">
                  {op.parameters.map((p) => (
                    <li key={`${p.in}:${p.name}`} className="flex flex-wrap items-baseline gap-2">
                      <code className="font-mono">{p.name}</code>
                      <span className="text-xs text-zinc-500">
                        {p.in} · {p.schema?.type ?? 'any'}
                        {p.required ? ' · required' : ''}
                      </span>
                      {p.description ? <span className="text-zinc-600">{p.description}</span> : null}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {op.requestBody ? (
              <div>
                <h4 className="mb-1 text-xs font-semibold text-zinc-700">
                  Request body{' '}
                  <span className="font-normal text-zinc-500">
                    ({op.requestBody.contentType}
                    {op.requestBody.required ? ', required' : ''})
                  </span>
                </h4>
                <SchemaTree schema={op.requestBody.schema} />
              </div>
            ) : null}
            {op.responses.length ? (
              <div>
                <h4 className="mb-1 text-xs font-semibold text-zinc-700">Responses</h4>
                <ul className="flex flex-col gap-1">
                  {op.responses.map((r) => (
                    <li key={r.status}>
                      <span className="font-mono text-xs font-semibold">{r.status}</span>{' '}
                      <span className="text-zinc-600">{r.description}</span>
                      {r.schema ? <SchemaTree schema={r.schema} /> : null}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </article>
      ))}
    </div>
  );
}

function SchemaTree({ schema }: { schema: SchemaView | null }) {
  if (!schema) return null;
  const props = schema.properties.length ? schema.properties : (schema.items?.properties ?? []);
  if (!props.length) return <span className="ml-1 text-xs text-zinc-500">{schema.type}</span>;
  return (
    <ul className="ml-3 border-l border-zinc-200 pl-3">
      {props.map((p) => (
        <li key={p.name} className="py-0.5">
          <code className="font-mono text-xs">{p.name}</code>{' '}
          <span className="text-xs text-zinc-500">
            {p.schema.type}
            {p.required ? ' · required' : ''}
            {p.schema.enum ? ` · one of ${p.schema.enum.join(', ')}` : ''}
          </span>
          {p.schema.description ? <span className="ml-1 text-xs text-zinc-600">{p.schema.description}</span> : null}
          {p.schema.properties.length || p.schema.items?.properties.length ? <SchemaTree schema={p.schema} /> : null}
        </li>
      ))}
    </ul>
  );
}
