'use client';

import { grantableRoles, mayGrant, type MemberDto, type Role } from '@slipway/contracts';
import { api } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge } from '../ui/layout-bits';
import { Td } from '../ui/table';

interface Props {
  member: MemberDto;
  org: string;
  myRole: Role;
  isMe: boolean;
  onChanged: (member: MemberDto) => void;
  onRemoved: () => void;
}

export function MemberRow({ member: m, org, myRole, isMe, onChanged, onRemoved }: Props) {
  const action = useAction();
  // The api's rule: a member is moved only between roles `myRole` could grant (admins manage members and viewers).
  const canManage = mayGrant(myRole, m.role);
  const options = grantableRoles(myRole);

  async function changeRole(role: Role) {
    const updated = await action.run(() => api('updateMember', { params: { org, userId: m.userId }, body: { role } }));
    if (updated) onChanged(updated);
  }

  async function remove() {
    const done = await action.run(async () => {
      await api('removeMember', { params: { org, userId: m.userId } });
      return true;
    });
    if (done) onRemoved();
  }

  return (
    <tr aria-label={m.email}>
      <Td className="font-medium">
        {m.name} {isMe ? <Badge>you</Badge> : null}
      </Td>
      <Td className="text-zinc-600">{m.email}</Td>
      <Td>
        {canManage ? (
          <select
            aria-label={`Role of ${m.email}`}
            value={m.role}
            disabled={action.busy}
            onChange={(e) => void changeRole(e.target.value as Role)}
            className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm"
          >
            {(options.includes(m.role) ? options : [m.role, ...options]).map((r) => (
              <option key={r} value={r}>
                {r.charAt(0) + r.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        ) : (
          <span aria-label={`Role of ${m.email}`}>{m.role.charAt(0) + m.role.slice(1).toLowerCase()}</span>
        )}
        {action.error ? (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {action.error}
          </p>
        ) : null}
      </Td>
      <Td className="text-zinc-500">{formatDate(m.joinedAt)}</Td>
      <Td className="text-right">
        {canManage && !isMe ? (
          <ConfirmButton label={`Remove ${m.email}`} question={`Remove ${m.name}?`} confirmLabel="Remove" onConfirm={remove}>
            Remove
          </ConfirmButton>
        ) : null}
      </Td>
    </tr>
  );
}
