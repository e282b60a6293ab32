'use client';

/** Which environment the routing, budget and drill sections below show. */
export function EnvironmentPicker({
  environments,
  current,
  onPick,
}: {
  environments: string[];
  current: string;
  onPick: (env: string) => void;
}) {
  return (
    <div role="group" aria-label="Environment" className="mb-4 flex flex-wrap items-center gap-2">
      <span className="text-xs font-medium text-zinc-500">Routing, budgets and drills of</span>
      <div className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5">
        {environments.map((name) => (
          <button
            key={name}
            type="button"
            aria-pressed={name === current}
            onClick={() => onPick(name)}
            className={`rounded px-2.5 py-1 text-sm ${name === current ? 'bg-zinc-900 font-medium text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
          >
            {name}
          </button>
        ))}
      </div>
    </div>
  );
}
