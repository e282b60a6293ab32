'use client';

import { formatDateTime } from '../../lib/format';
import { useApiQuery } from '../../lib/api-query';
import { Badge } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';

type KeyParams = { org: string; project: string; env: string; key: string };

/** Version history of one variable: who changed it and when; values are never listed. */
export function VariableVersions({ params, currentVersion }: { params: KeyParams; currentVersion: number }) {
  const versions = useApiQuery('variableVersions', params);
  return (
    <div className="py-1">
      <p className="mb-1 text-xs font-medium text-zinc-600">Version history of {params.key}</p>
      <ResourceState query={versions}>
        {(list) => (
          <ol aria-label={`Versions of ${params.key}`} className="flex flex-col gap-0.5 text-xs text-zinc-600">
            {list.map((ver) => (
              <li key={ver.version} className="flex items-center gap-2">
                <span className="w-8 font-mono">v{ver.version}</span>
                <span className="w-40">{formatDateTime(ver.createdAt)}</span>
                <span className="w-48 truncate">{ver.createdBy ?? '—'}</span>
                {ver.secret ? <Badge tone="amber">secret</Badge> : null}
                {ver.deleted ? <Badge tone="red">deleted</Badge> : null}
                {ver.version === currentVersion ? <Badge tone="green">current</Badge> : null}
              </li>
            ))}
          </ol>
        )}
      </ResourceState>
    </div>
  );
}
