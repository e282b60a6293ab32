'use client';

import { createOrganizationInputSchema, slugify } from '@slipway/contracts';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { PageHeader, Section } from '../ui/layout-bits';

export function NewOrganizationForm() {
  const router = useRouter();
  const { refresh } = useSession();
  const action = useAction();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string | null>(null);
  const effectiveSlug = slug ?? slugify(name);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = createOrganizationInputSchema.safeParse({ name, slug: effectiveSlug || undefined });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const org = await action.run(() => api('createOrganization', { body: parsed.data }));
    if (!org) return;
    await refresh();
    router.push(`/o/${org.slug}/projects`);
  }

  return (
    <>
      <PageHeader title="New organization" description="Organizations own projects, members and billing. You will be its owner." />
      <Section title="Organization">
        <form onSubmit={submit} noValidate className="flex max-w-lg flex-col gap-3">
          <ErrorAlert>{action.error}</ErrorAlert>
          <TextField label="Organization name" value={name} onChange={(e) => setName(e.target.value)} error={action.fieldErrors.name} />
          <TextField
            label="Organization slug"
            value={effectiveSlug}
            onChange={(e) => setSlug(e.target.value)}
            error={action.fieldErrors.slug}
            className="font-mono"
          />
          <div>
            <Button type="submit" variant="primary" busy={action.busy}>
              Create organization
            </Button>
          </div>
        </form>
      </Section>
    </>
  );
}
