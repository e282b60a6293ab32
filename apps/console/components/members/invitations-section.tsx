'use client';

import { useQueryClient } from '@tanstack/react-query';
import type { CreatedInvitationDto, Role } from '@slipway/contracts';
import { useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { CopyField } from '../ui/copy-button';
import { Empty, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { setApiQueryData, useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { InviteForm } from './invite-form';

export function InvitationsSection({ org, myRole }: { org: string; myRole: Role }) {
  const invitations = useApiQuery('listInvitations', { org });
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  const [created, setCreated] = useState<CreatedInvitationDto | null>(null);
  const revoke = useAction();

  async function revokeOne(id: string) {
    const done = await revoke.run(async () => {
      await api('revokeInvitation', { params: { org, invitationId: id } });
      return true;
    });
    if (done) setApiQueryData(client, 'listInvitations', { org }, (cur) => cur?.filter((i) => i.id !== id));
  }

  return (
    <Section title="Invitations" description="Invite people with a link. Anyone with the link can join with its role until it expires; a link with an email joins only the account registered with that email.">
      <InviteForm
        org={org}
        myRole={myRole}
        onCreated={(inv) => {
          setCreated(inv);
          void invalidate('listInvitations');
        }}
      />
      {created ? (
        <div className="mt-4 flex flex-col gap-2 rounded-md border border-emerald-200 bg-emerald-50/50 p-3">
          <Notice tone="success">
            Invitation created for the {created.role.toLowerCase()} role. Share this link now: it is shown only once.
          </Notice>
          <CopyField id="invitation-url" label="Invitation link" value={created.url} />
          <div>
            <Button size="sm" variant="ghost" onClick={() => setCreated(null)}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
      <h3 className="mt-6 mb-2 text-xs font-semibold text-zinc-700">Pending invitations</h3>
      <ErrorAlert>{revoke.error}</ErrorAlert>
      <ResourceState query={invitations}>
        {(list) => {
          const pending = list.filter((i) => !i.acceptedAt);
          return pending.length === 0 ? (
            <Empty>No pending invitations.</Empty>
          ) : (
            <Table label="Pending invitations" head={['Role', 'Email', 'Created', 'Expires', '']}>
              {pending.map((i) => (
                <tr key={i.id}>
                  <Td>{i.role.charAt(0) + i.role.slice(1).toLowerCase()}</Td>
                  <Td className="text-zinc-600">{i.email ?? 'Anyone with the link'}</Td>
                  <Td className="text-zinc-500">{formatDateTime(i.createdAt)}</Td>
                  <Td className="text-zinc-500">{formatDateTime(i.expiresAt)}</Td>
                  <Td className="text-right">
                    <ConfirmButton
                      label={`Revoke invitation ${i.email ?? i.id}`}
                      question="Revoke?"
                      confirmLabel="Revoke"
                      onConfirm={() => revokeOne(i.id)}
                    >
                      Revoke
                    </ConfirmButton>
                  </Td>
                </tr>
              ))}
            </Table>
          );
        }}
      </ResourceState>
    </Section>
  );
}
