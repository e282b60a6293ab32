'use client';

import { createProjectInputSchema, slugify, type ProjectDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';

/** Name → slug derived live until the user edits the slug themselves. */
export function NewProjectForm({ org, onCreated }: { org: string; onCreated: (project: ProjectDto) => void }) {
  const action = useAction();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const effectiveSlug = slugEdited ? slug : slugify(name);
  const slugTaken = action.code === 'SLUG_TAKEN';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = createProjectInputSchema.safeParse({ name, slug: effectiveSlug || undefined });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const project = await action.run(() => api('createProject', { params: { org }, body: parsed.data }));
    if (project) onCreated(project);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3">
      <ErrorAlert>{slugTaken ? null : action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
        <TextField
          label="Project name"
          placeholder="Web App"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={action.fieldErrors.name}
        />
        <TextField
          label="Project slug"
          className="font-mono"
          value={effectiveSlug}
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value);
          }}
          error={action.fieldErrors.slug ?? (slugTaken ? action.error : null)}
          hint={
            effectiveSlug
              ? `Production will answer at ${effectiveSlug}.<apps domain>, other environments at ${effectiveSlug}--<env>.<apps domain> (another name if that one is taken or reserved; the project page shows each URL).`
              : 'Lower-case letters, digits and single hyphens.'
          }
        />
        <Button type="submit" variant="primary" busy={action.busy} className="sm:mt-5">
          Create project
        </Button>
      </div>
    </form>
  );
}
