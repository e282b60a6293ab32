'use client';

import type { TokenDto } from '@slipway/contracts';
import { api } from '../../lib/api';
import { formatDate, formatRelative } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge, Empty } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';

function status(t: TokenDto): { label: string; tone: 'green' | 'red' | 'zinc' } {
  if (t.revokedAt) return { label: 'Revoked', tone: 'red' };
  if (t.expiresAt && new Date(t.expiresAt).getTime() < Date.now()) return { label: 'Expired', tone: 'zinc' };
  return { label: 'Active', tone: 'green' };
}

export function TokenList({ tokens, onRevoked }: { tokens: TokenDto[]; onRevoked: () => void }) {
  const action = useAction();

  async function revoke(id: string) {
    const done = await action.run(async () => {
      await api('revokeToken', { params: { tokenId: id } });
      return true;
    });
    if (done) onRevoked();
  }

  if (tokens.length === 0) return <Empty>No tokens yet.</Empty>;
  return (
    <>
      <ErrorAlert>{action.error}</ErrorAlert>
      <Table label="Tokens" head={['Name', 'Token', 'Scopes', 'Expires', 'Last used', 'Status', '']}>
        {tokens.map((t) => {
          const s = status(t);
          return (
            <tr key={t.id} aria-label={t.name} className={t.revokedAt ? 'text-zinc-400' : ''}>
              <Td className="font-medium">{t.name}</Td>
              <Td className="font-mono text-xs">{t.prefix}…</Td>
              <Td>
                <span className="flex flex-wrap gap-1">
                  {t.scopes.map((sc) => (
                    <Badge key={sc}>{sc}</Badge>
                  ))}
                </span>
              </Td>
              <Td className="text-xs whitespace-nowrap">{t.expiresAt ? formatDate(t.expiresAt) : 'Never'}</Td>
              <Td className="text-xs whitespace-nowrap">{t.lastUsedAt ? formatRelative(t.lastUsedAt) : 'Never used'}</Td>
              <Td>
                <Badge tone={s.tone}>{s.label}</Badge>
              </Td>
              <Td className="text-right">
                {t.revokedAt ? null : (
                  <ConfirmButton label={`Revoke ${t.name}`} question="Revoke now?" confirmLabel="Revoke" onConfirm={() => revoke(t.id)}>
                    Revoke
                  </ConfirmButton>
                )}
              </Td>
            </tr>
          );
        })}
      </Table>
    </>
  );
}
