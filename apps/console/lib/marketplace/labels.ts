import type { ApiCategory } from '@slipway/contracts';

/** Category names as people read them ("developer-tools" → "Developer tools", "ai" → "AI"). */
export function categoryLabel(c: ApiCategory | string): string {
  if (c === 'ai') return 'AI';
  const words = c.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const SUBSCRIPTION_STATUS = {
  ACTIVE: { label: 'active', tone: 'green' },
  PAST_DUE: { label: 'past due', tone: 'amber' },
  CANCELED: { label: 'canceled', tone: 'zinc' },
} as const;

export const INVOICE_STATUS = {
  DRAFT: { label: 'draft', tone: 'blue' },
  FINALIZED: { label: 'finalized', tone: 'amber' },
  PAID: { label: 'paid', tone: 'green' },
  VOID: { label: 'void', tone: 'zinc' },
} as const;

/** A period as "7 Dec 2026 – 7 Jan 2027" (UTC dates: periods are UTC). */
export function formatPeriod(start: string, end: string): string {
  const f = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
  return `${f.format(new Date(start))} – ${f.format(new Date(end))}`;
}

/** Reroll overlap choices: how long the old key keeps working. */
export const OVERLAP_CHOICES = [
  { seconds: 0, label: 'Stop the old key now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 24 * 3600, label: '24 hours' },
  { seconds: 7 * 24 * 3600, label: '7 days' },
] as const;
