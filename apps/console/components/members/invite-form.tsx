'use client';

import { createInvitationInputSchema, grantableRoles, type CreatedInvitationDto, type Role } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField, TextField } from '../ui/field';

export function InviteForm({ org, myRole, onCreated }: { org: string; myRole: Role; onCreated: (inv: CreatedInvitationDto) => void }) {
  const action = useAction();
  const [role, setRole] = useState<Role>('MEMBER');
  const [email, setEmail] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = createInvitationInputSchema.safeParse({ role, email: email.trim() || undefined });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const inv = await action.run(() => api('createInvitation', { params: { org }, body: parsed.data }));
    if (!inv) return;
    setEmail('');
    onCreated(inv);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Invite member" className="flex flex-col gap-3">
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-start">
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={action.fieldErrors.role}>
          {grantableRoles(myRole).map((r) => (
            <option key={r} value={r}>
              {r.charAt(0) + r.slice(1).toLowerCase()}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Email (optional)"
          type="email"
          placeholder="teammate@example.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={action.fieldErrors.email}
        />
        <Button type="submit" variant="primary" busy={action.busy} className="sm:mt-5">
          Invite member
        </Button>
      </div>
    </form>
  );
}
