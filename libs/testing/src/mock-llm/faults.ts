// Fault rules: the first active rule matching a request's api and model fires. A rule with
// `count` fires for the next N matches; with `probability` it fires when the server's seeded
// RNG says so; with neither it fires every time.
import type { MockApi, MockFault, MockFaultRule, MockFaultState } from './types';
import { seededRandom } from './tokens';

const KINDS = new Set(['status', 'timeout', 'delay', 'stream-cut', 'stall', 'malformed-json', 'stream-error']);

/** Validates a rule that came over HTTP; returns an error message or undefined. */
export function invalidRule(rule: unknown): string | undefined {
  if (typeof rule !== 'object' || rule === null) return 'a rule must be an object';
  const r = rule as Record<string, unknown>;
  const f = r.fault as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null || !KINDS.has(String(f.kind))) return `fault.kind must be one of ${[...KINDS].join(', ')}`;
  if (f.kind === 'status' && !(Number.isInteger(f.status) && (f.status as number) >= 400 && (f.status as number) <= 599))
    return 'fault.status must be an HTTP error status';
  if (f.kind === 'delay' && !(typeof f.ms === 'number' && f.ms >= 0)) return 'fault.ms must be a non-negative number';
  if (r.count !== undefined && !(Number.isInteger(r.count) && (r.count as number) >= 0)) return 'count must be a non-negative integer';
  if (r.probability !== undefined && !(typeof r.probability === 'number' && r.probability >= 0 && r.probability <= 1))
    return 'probability must be between 0 and 1';
  if (r.api !== undefined && r.api !== 'anthropic' && r.api !== 'openai') return 'api must be anthropic or openai';
  if (r.model !== undefined && typeof r.model !== 'string') return 'model must be a string';
  return undefined;
}

export class FaultTable {
  private rules: MockFaultState[] = [];
  private rnd: () => number;

  constructor(private seed: number) {
    this.rnd = seededRandom(seed);
  }

  set(rules: MockFaultRule[], seed = this.seed): void {
    this.rules = rules.map((r) => ({ ...r, hits: 0, ...(r.count !== undefined ? { remaining: r.count } : {}) }));
    this.seed = seed;
    this.rnd = seededRandom(seed);
  }

  add(rule: MockFaultRule): void {
    this.rules.push({ ...rule, hits: 0, ...(rule.count !== undefined ? { remaining: rule.count } : {}) });
  }

  list(): MockFaultState[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The fault for this request, if any; consumes a `count` and draws for `probability`. */
  take(api: MockApi, model: string, stream: boolean): MockFault | undefined {
    for (const r of this.rules) {
      if (r.api !== undefined && r.api !== api) continue;
      if (r.model !== undefined && r.model !== model) continue;
      if (r.fault.kind === 'stream-error' && !stream) continue;
      if (r.remaining !== undefined && r.remaining <= 0) continue;
      if (r.probability !== undefined && !(this.rnd() < r.probability)) continue;
      if (r.remaining !== undefined) r.remaining--;
      r.hits++;
      return r.fault;
    }
    return undefined;
  }
}
