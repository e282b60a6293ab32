'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { setApiQueryData, useInvalidateApi } from '../../lib/api-query';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { Section } from '../ui/layout-bits';

/** Deleting asks for the slug to be typed, as the deletion takes environments and variables with it. */
export function DeleteProject({ org, slug }: { org: string; slug: string }) {
  const router = useRouter();
  const action = useAction();
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const done = await action.run(async () => {
      await api('deleteProject', { params: { org, project: slug } });
      return true;
    });
    if (!done) return;
    // The list must not show the project it just lost, not even from the cache for a moment.
    setApiQueryData(client, 'listProjects', { org }, (cur) => cur?.filter((p) => p.slug !== slug));
    void invalidate('listProjects');
    router.push(`/o/${org}/projects`);
  }

  return (
    <Section title="Danger zone">
      {open ? (
        <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Delete project">
          <ErrorAlert>{action.error}</ErrorAlert>
          <p className="text-sm text-zinc-700">
            This deletes the project, its environments, variables and git repository. It cannot be undone.
          </p>
          <TextField
            label={`Type ${slug} to confirm`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            className="font-mono"
            fieldClassName="max-w-sm"
          />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={typed !== slug} busy={action.busy}>
              Delete this project
            </Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      ) : (
        <div className="flex items-center justify-between gap-4">
          <p className="text-sm text-zinc-700">Delete this project and everything in it.</p>
          <Button variant="danger" onClick={() => setOpen(true)}>
            Delete project
          </Button>
        </div>
      )}
    </Section>
  );
}
