'use client';

import { useState, type ReactNode } from 'react';
import { Button } from './button';

interface ConfirmButtonProps {
  /** Accessible name of the first button, e.g. "Delete API_KEY". */
  label: string;
  children: ReactNode;
  /** Question shown while confirming. */
  question: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
  size?: 'sm' | 'md';
}

/** A destructive action that asks inline before it runs (no blocking window.confirm). */
export function ConfirmButton({
  label,
  children,
  question,
  confirmLabel = 'Confirm',
  onConfirm,
  disabled,
  size = 'sm',
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!asking) {
    return (
      <Button
        size={size}
        variant="ghost"
        className="text-red-600 hover:text-red-700"
        aria-label={label}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {children}
      </Button>
    );
  }

  async function confirm() {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }

  return (
    <span className="inline-flex items-center gap-1.5" role="group" aria-label={`Confirm: ${label}`}>
      <span className="text-xs text-zinc-600">{question}</span>
      <Button size={size} variant="danger" busy={busy} onClick={confirm}>
        {confirmLabel}
      </Button>
      <Button size={size} variant="ghost" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </Button>
    </span>
  );
}
