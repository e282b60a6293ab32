'use client';

import { ENVIRONMENT_KEY_LABEL, type GatewayKeyDto } from '@slipway/contracts';
import { api } from '../../lib/api';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format';
import { formatUsd } from '../../lib/gateway';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge, Empty } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';

function status(k: GatewayKeyDto): { label: string; tone: 'green' | 'red' | 'zinc' } {
  if (k.revokedAt) return { label: 'Revoked', tone: 'red' };
  if (k.expiresAt && new Date(k.expiresAt).getTime() < Date.now()) return { label: 'Expired', tone: 'zinc' };
  return { label: 'Active', tone: 'green' };
}

/** The last two cells of every key row: its status, and the revoke button while it can be revoked. */
function StatusAndRevoke(props: { k: GatewayKeyDto; canRevoke: boolean; label: string; question: string; onRevoke: (id: string) => void }) {
  const s = status(props.k);
  return (
    <>
      <Td>
        <Badge tone={s.tone}>{s.label}</Badge>
      </Td>
      <Td className="text-right">
        {props.canRevoke && !props.k.revokedAt ? (
          <ConfirmButton label={props.label} question={props.question} confirmLabel="Revoke" onConfirm={() => props.onRevoke(props.k.id)}>
            Revoke
          </ConfirmButton>
        ) : null}
      </Td>
    </>
  );
}

interface KeyTableProps {
  org: string;
  project: string;
  keys: GatewayKeyDto[];
  canRevoke: boolean;
  onRevoked: () => void;
}

function useRevoke({ org, project, onRevoked }: Pick<KeyTableProps, 'org' | 'project' | 'onRevoked'>) {
  const action = useAction();
  async function revoke(id: string) {
    const ok = await action.run(async () => {
      await api('revokeGatewayKey', { params: { org, project, keyId: id } });
      return true;
    });
    if (ok) onRevoked();
  }
  return { error: action.error, revoke };
}

/** Keys people created: the prefix tells them apart, the secret was shown once. */
export function UserKeys({ spent, ...props }: KeyTableProps & { spent: ReadonlyMap<string, number> }) {
  const { error, revoke } = useRevoke(props);
  if (props.keys.length === 0) return <Empty>No keys yet. Create one to call the gateway from your machine or CI.</Empty>;
  return (
    <div>
      <ErrorAlert>{error}</ErrorAlert>
      <Table label="Gateway keys" head={['Name', 'Key', 'Scopes', 'Environment', 'Expires', 'Monthly budget', 'Last used', 'Status', '']}>
        {props.keys.map((k) => (
          <tr key={k.id} aria-label={k.name} className={k.revokedAt ? 'text-zinc-400' : ''}>
            <Td className="font-medium">{k.name}</Td>
            <Td className="font-mono text-xs whitespace-nowrap">{k.prefix}…</Td>
            <Td>
              <span className="flex flex-wrap gap-1">
                {k.scopes.map((sc) => (
                  <Badge key={sc}>{sc}</Badge>
                ))}
              </span>
            </Td>
            <Td className="text-xs">{k.environment ?? 'All'}</Td>
            <Td className="text-xs whitespace-nowrap">{k.expiresAt ? formatDate(k.expiresAt) : 'Never'}</Td>
            <Td className="text-xs whitespace-nowrap">
              {k.monthlyBudgetUsd === null ? (
                'No cap'
              ) : (
                <span>
                  {spent.has(k.id) ? `${formatUsd(spent.get(k.id)!)} of ` : ''}
                  {formatUsd(k.monthlyBudgetUsd)}
                </span>
              )}
            </Td>
            <Td className="text-xs whitespace-nowrap">
              <span title={formatDateTime(k.lastUsedAt)}>{k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'Never used'}</span>
            </Td>
            <StatusAndRevoke
              k={k}
              canRevoke={props.canRevoke}
              label={`Revoke ${k.name}`}
              question="Calls with it fail at once."
              onRevoke={revoke}
            />
          </tr>
        ))}
      </Table>
    </div>
  );
}

/** Each environment's own key, minted at deploy and handed to its containers. */
export function EnvironmentKeys(props: KeyTableProps) {
  const { error, revoke } = useRevoke(props);
  return (
    <div>
      <h3 className="text-xs font-semibold text-zinc-700">Environment keys</h3>
      <p className="mb-1 text-xs text-zinc-500">
        Injected into deployments as <code className="font-mono">ANTHROPIC_API_KEY</code> /{' '}
        <code className="font-mono">OPENAI_API_KEY</code>, with <code className="font-mono">ANTHROPIC_BASE_URL</code> /{' '}
        <code className="font-mono">OPENAI_BASE_URL</code>. A revoked one is replaced on the next deploy.
      </p>
      <ErrorAlert>{error}</ErrorAlert>
      {props.keys.length === 0 ? (
        <Empty>Each environment gets its key at its first deployment.</Empty>
      ) : (
        <Table label="Environment keys" head={['Environment', 'Key', 'Last used', 'Created', 'Status', '']}>
          {props.keys.map((k) => (
            <tr
              key={k.id}
              aria-label={`${k.environment ?? k.name} ${ENVIRONMENT_KEY_LABEL}`}
              className={k.revokedAt ? 'text-zinc-400' : ''}
            >
              <Td className="font-medium">{k.environment ?? '—'}</Td>
              <Td className="font-mono text-xs whitespace-nowrap">{k.prefix}…</Td>
              <Td className="text-xs whitespace-nowrap">{k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'Never used'}</Td>
              <Td className="text-xs whitespace-nowrap">{formatDateTime(k.createdAt)}</Td>
              <StatusAndRevoke
                k={k}
                canRevoke={props.canRevoke}
                label={`Revoke the ${k.environment ?? ''} environment key`}
                question="Its apps lose model access until the next deploy."
                onRevoke={revoke}
              />
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
