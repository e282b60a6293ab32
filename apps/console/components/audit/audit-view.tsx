'use client';

import type { AuditEntryDto } from '@slipway/contracts';
import { useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useCan, useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/api-query';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Empty, PageHeader, Section } from '../ui/layout-bits';
import { NotFoundView } from '../ui/not-found-view';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';

const PAGE = 50;

export function AuditView() {
  const org = useOrg();
  const allowed = useCan('ADMIN');
  const first = useApiQuery('auditLog', { org: org.slug }, { enabled: allowed, query: { limit: PAGE } });
  const [older, setOlder] = useState<AuditEntryDto[]>([]);
  const [done, setDone] = useState(false);
  const more = useAction();

  if (!allowed) return <NotFoundView what="page" />;

  async function loadOlder(entries: AuditEntryDto[]) {
    const last = entries[entries.length - 1];
    if (!last) return;
    const page = await more.run(() => api('auditLog', { params: { org: org.slug }, query: { limit: PAGE, before: last.id } }));
    if (!page) return;
    setOlder((o) => [...o, ...page]);
    if (page.length < PAGE) setDone(true);
  }

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Security-relevant actions in this organization, newest first."
        actions={
          <Button
            size="sm"
            onClick={() => {
              setOlder([]);
              setDone(false);
              void first.refetch();
            }}
          >
            Refresh
          </Button>
        }
      />
      <Section title="Events">
        <ResourceState query={first}>
          {(entries) => {
            const all = [...entries, ...older];
            if (all.length === 0) return <Empty>No events yet.</Empty>;
            return (
              <>
                <Table label="Audit log" head={['Time', 'Actor', 'Action', 'Target', 'IP']}>
                  {all.map((e) => (
                    <tr key={e.id}>
                      <Td className="text-xs whitespace-nowrap text-zinc-500">{formatDateTime(e.createdAt)}</Td>
                      <Td className="text-zinc-700">{e.actorEmail ?? 'system'}</Td>
                      <Td>
                        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{e.action}</code>
                      </Td>
                      <Td className="font-mono text-xs text-zinc-600">{e.target ?? '—'}</Td>
                      <Td className="font-mono text-xs text-zinc-500">{e.ip ?? '—'}</Td>
                    </tr>
                  ))}
                </Table>
                <ErrorAlert>{more.error}</ErrorAlert>
                {!done && all.length >= PAGE ? (
                  <div className="mt-3">
                    <Button size="sm" busy={more.busy} onClick={() => loadOlder(all)}>
                      Load older events
                    </Button>
                  </div>
                ) : null}
              </>
            );
          }}
        </ResourceState>
      </Section>
    </>
  );
}
