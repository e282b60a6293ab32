import Link from 'next/link';

/** Shown for unknown URLs and for anything the api answers 404 (including other tenants' data). */
export function NotFoundView({ what = 'page' }: { what?: string }) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center py-24 text-center">
      <p className="text-sm font-semibold text-zinc-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-zinc-900">Not found</h1>
      <p className="mt-2 text-sm text-zinc-500">This {what} does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-6 rounded-md bg-zinc-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-zinc-700">
        Go to your projects
      </Link>
    </div>
  );
}
