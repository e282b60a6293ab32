'use client';

import type { MemberDto } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCan, useOrg } from '../../lib/org';
import { useSession } from '../../lib/session';
import { setApiQueryData, useApiQuery } from '../../lib/api-query';
import { PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table } from '../ui/table';
import { MachineCapacityPanel } from '../capacity/machine-capacity-panel';
import { InvitationsSection } from './invitations-section';
import { MemberRow } from './member-row';

export function MembersView() {
  const org = useOrg();
  const isAdmin = useCan('ADMIN');
  const { state } = useSession();
  const me = state.status === 'authenticated' ? state.session.user.id : null;
  const members = useApiQuery('listMembers', { org: org.slug });
  const client = useQueryClient();
  const update = (change: (list: MemberDto[]) => MemberDto[]) =>
    setApiQueryData(client, 'listMembers', { org: org.slug }, (cur) => cur && change(cur));

  return (
    <>
      <PageHeader title="Members" description={`People with access to ${org.name}. You are ${org.role.toLowerCase()}.`} />
      <Section title="Members">
        <ResourceState query={members}>
          {(list) => (
            <Table label="Members" head={['Name', 'Email', 'Role', 'Joined', '']}>
              {list.map((m) => (
                <MemberRow
                  key={m.userId}
                  member={m}
                  org={org.slug}
                  myRole={org.role}
                  isMe={m.userId === me}
                  onChanged={(updated) => update((list) => list.map((x) => (x.userId === updated.userId ? updated : x)))}
                  onRemoved={() => update((list) => list.filter((x) => x.userId !== m.userId))}
                />
              ))}
            </Table>
          )}
        </ResourceState>
      </Section>
      {isAdmin ? <InvitationsSection org={org.slug} myRole={org.role} /> : null}
      {isAdmin ? <MachineCapacityPanel org={org.slug} /> : null}
    </>
  );
}
