'use client';

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/** A disclosure menu: a button that opens a panel; closes on Escape, outside click or navigation. */
export function Menu({
  label,
  button,
  children,
  align = 'left',
}: {
  label: string;
  button: ReactNode;
  children: (close: () => void) => ReactNode;
  align?: 'left' | 'right';
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onClick = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onClick);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onClick);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex h-8 items-center gap-1.5 rounded-md px-2 text-sm font-medium text-zinc-800 hover:bg-zinc-100"
      >
        {button}
        <span aria-hidden className="text-zinc-400">
          ▾
        </span>
      </button>
      {open ? (
        <div
          id={panelId}
          className={`absolute top-full z-20 mt-1 min-w-56 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg ${align === 'right' ? 'right-0' : 'left-0'}`}
        >
          {children(() => setOpen(false))}
        </div>
      ) : null}
    </div>
  );
}

export const MENU_ITEM =
  'flex w-full items-center justify-between gap-2 rounded-md px-2.5 py-1.5 text-left text-sm text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900';
