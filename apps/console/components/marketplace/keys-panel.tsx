'use client';

import type { ConsumerKeyDto, CreatedConsumerKeyDto, SubscriptionDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useInvalidateApi } from '../../lib/api-query';
import { formatDateTime, formatRelative } from '../../lib/format';
import { rememberKey } from '../../lib/marketplace/key-memory';
import { OVERLAP_CHOICES } from '../../lib/marketplace/labels';
import { useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { SelectField, TextField } from '../ui/field';
import { Badge, Empty } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';
import { ShownOnce } from './shown-once-key';

function keyState(k: ConsumerKeyDto, now = Date.now()): { label: string; tone: 'green' | 'amber' | 'zinc' } {
  if (k.revokedAt) return { label: 'revoked', tone: 'zinc' };
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return { label: 'expired', tone: 'zinc' };
  if (k.expiresAt) return { label: `works until ${formatDateTime(k.expiresAt)}`, tone: 'amber' };
  return { label: 'active', tone: 'green' };
}

/** Keys of a subscription: create live/test, reroll with an overlap, revoke (asks first). The key itself is shown once. */
export function KeysPanel({ sub, canWrite }: { sub: SubscriptionDto; canWrite: boolean }) {
  const org = useOrg();
  const params = { org: org.slug, subscriptionId: sub.id };
  const invalidate = useInvalidateApi();
  const [shown, setShown] = useState<{ title: string; key: CreatedConsumerKeyDto } | null>(null);
  const action = useAction();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'live' | 'test'>('test');
  const [overlap, setOverlap] = useState<Record<string, number>>({});

  const show = async (title: string, key: CreatedConsumerKeyDto) => {
    rememberKey(sub.listing.slug, key.key);
    setShown({ title, key });
    await invalidate('getSubscription', 'listSubscriptions', 'listConsumerKeys');
  };

  async function create(e: FormEvent) {
    e.preventDefault();
    const key = await action.run(() => api('createConsumerKey', { params, body: { mode, name: name.trim() } }));
    if (key) {
      setName('');
      await show(`New ${key.mode} key ${key.name}`, key);
    }
  }

  async function reroll(k: ConsumerKeyDto) {
    const seconds = overlap[k.id] ?? 24 * 3600;
    const key = await action.run(() => api('rerollConsumerKey', { params: { ...params, keyId: k.id }, body: { overlapSeconds: seconds } }));
    if (key) await show(`Replacement for ${k.name}`, key);
  }

  async function revoke(k: ConsumerKeyDto) {
    await action.run(() => api('revokeConsumerKey', { params: { ...params, keyId: k.id } }));
    await invalidate('getSubscription', 'listSubscriptions', 'listConsumerKeys');
  }

  const keys = [...sub.keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <div className="flex flex-col gap-4">
      {shown ? <ShownOnce id="shown-consumer-key" label={shown.title} value={shown.key.key} /> : null}
      <ErrorAlert>{action.error}</ErrorAlert>
      {keys.length === 0 ? (
        <Empty>No key yet.</Empty>
      ) : (
        <Table label="Keys" head={['Name', 'Mode', 'Key', 'Created', 'State', '']}>
          {keys.map((k) => {
            const st = keyState(k);
            const usable = !k.revokedAt && !(k.expiresAt && Date.parse(k.expiresAt) <= Date.now());
            return (
              <tr key={k.id} aria-label={k.name}>
                <Td className="font-medium">{k.name}</Td>
                <Td>
                  <Badge tone={k.mode === 'live' ? 'blue' : 'zinc'}>{k.mode}</Badge>
                </Td>
                <Td className="font-mono text-xs">{k.prefix}…</Td>
                <Td className="text-xs">{formatRelative(k.createdAt)}</Td>
                <Td>
                  <Badge tone={st.tone}>{st.label}</Badge>
                </Td>
                <Td className="text-right">
                  {canWrite && usable && !k.replacedById ? (
                    <div className="flex items-center justify-end gap-2">
                      <label className="sr-only" htmlFor={`overlap-${k.id}`}>
                        Old key keeps working for
                      </label>
                      <select
                        id={`overlap-${k.id}`}
                        className="h-7 rounded-md border border-zinc-300 bg-white px-1 text-xs"
                        value={overlap[k.id] ?? 24 * 3600}
                        onChange={(e) => setOverlap((o) => ({ ...o, [k.id]: Number(e.target.value) }))}
                      >
                        {OVERLAP_CHOICES.map((c) => (
                          <option key={c.seconds} value={c.seconds}>
                            {c.seconds === 0 ? c.label : `Old key works ${c.label} more`}
                          </option>
                        ))}
                      </select>
                      <Button size="sm" onClick={() => void reroll(k)} aria-label={`Reroll ${k.name}`}>
                        Reroll
                      </Button>
                      <ConfirmButton
                        label={`Revoke ${k.name}`}
                        question="Revoke? Calls with it are refused within a second."
                        confirmLabel="Revoke"
                        onConfirm={() => revoke(k)}
                      >
                        Revoke
                      </ConfirmButton>
                    </div>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
      {canWrite ? (
        <form onSubmit={create} aria-label="Create a key" className="flex flex-wrap items-end gap-2">
          <TextField
            label="Key name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={action.fieldErrors.name}
            placeholder="ci, laptop, production"
            fieldClassName="w-56"
          />
          <SelectField label="Mode" value={mode} onChange={(e) => setMode(e.target.value as 'live' | 'test')} fieldClassName="w-40">
            <option value="test">test (never billed)</option>
            <option value="live">live</option>
          </SelectField>
          <Button type="submit" busy={action.busy}>
            Create key
          </Button>
        </form>
      ) : null}
    </div>
  );
}
