'use client';

import { useEffect } from 'react';
import { Button } from '../components/ui/button';

/** Last line of defence: a rendering failure shows a way out instead of a blank page. */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main className="mx-auto flex max-w-md flex-col items-center px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Something went wrong</h1>
      <p className="mt-2 text-sm text-zinc-500">The page failed to load. Retry, or go back to your projects.</p>
      <div className="mt-6 flex gap-2">
        <Button variant="primary" onClick={retry}>
          Retry
        </Button>
        <a href="/" className="inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium hover:bg-zinc-50">
          Go to your projects
        </a>
      </div>
    </main>
  );
}
