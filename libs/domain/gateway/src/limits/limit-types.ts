import type { Attribution } from './attribution';

/** Whose request this is: every limit that can apply is derived from it. */
export interface LimitSubject {
  organizationId: string;
  projectId: string;
  keyId: string;
  /** The model alias asked for; null when the request named a provider model directly. */
  alias: string | null;
  attribution: Attribution;
  /** The key's own monthly cap (GatewayKey.monthlyBudgetMicros): a key-scoped, blocking budget. */
  monthlyKeyBudgetMicros: number | null;
}

/** Spend in micro-USD and tokens (input + output): reserved up front, then settled on the real usage. */
export interface Estimate {
  costMicros: number;
  tokens: number;
}

export type LimitDecision =
  | { ok: true; reservation: Reservation }
  | { ok: false; kind: 'budget' | 'rate'; action: 'block'; message: string; retryAfterSeconds: number; limitName: string }
  | { ok: false; kind: 'budget'; action: 'downgrade'; downgradeTo: string; limitName: string }
  | { ok: false; kind: 'budget'; action: 'queue'; queueSeconds: number; limitName: string }
  /** A budget applies but its spend can be read neither from Redis nor from PostgreSQL: refused (503), never let through unmetered. */
  | { ok: false; kind: 'unavailable'; action: 'block'; message: string; retryAfterSeconds: number; limitName: string };

export type LimitBlock = Extract<LimitDecision, { action: 'block' }>;

/** What `reserve` took; hand it back to `settle` once the real usage is known. Opaque to callers. */
export interface Reservation {
  readonly empty: boolean;
}

export interface BudgetUsage {
  name: string;
  scope: string;
  match: string | null;
  period: 'day' | 'month';
  limitUsd: number;
  spentUsd: number;
  action: string;
}
