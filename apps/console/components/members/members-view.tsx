'use client';

import { useCan, useOrg } from '../../lib/org';
import { useSession } from '../../lib/session';
import { useResource } from '../../lib/use-resource';
import { PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table } from '../ui/table';
import { InvitationsSection } from './invitations-section';
import { MemberRow } from './member-row';

export function MembersView() {
  const org = useOrg();
  const isAdmin = useCan('ADMIN');
  const { state } = useSession();
  const me = state.status === 'authenticated' ? state.session.user.id : null;
  const members = useResource('listMembers', { org: org.slug });

  return (
    <>
      <PageHeader title="Members" description={`People with access to ${org.name}. You are ${org.role.toLowerCase()}.`} />
      <Section title="Members">
        <ResourceState resource={members}>
          {(list) => (
            <Table label="Members" head={['Name', 'Email', 'Role', 'Joined', '']}>
              {list.map((m) => (
                <MemberRow
                  key={m.userId}
                  member={m}
                  org={org.slug}
                  myRole={org.role}
                  isMe={m.userId === me}
                  onChanged={(updated) => members.setData((cur) => cur?.map((x) => (x.userId === updated.userId ? updated : x)) ?? cur)}
                  onRemoved={() => members.setData((cur) => cur?.filter((x) => x.userId !== m.userId) ?? cur)}
                />
              ))}
            </Table>
          )}
        </ResourceState>
      </Section>
      {isAdmin ? <InvitationsSection org={org.slug} myRole={org.role} /> : null}
    </>
  );
}
