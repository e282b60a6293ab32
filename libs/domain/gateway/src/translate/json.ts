// Narrowing helpers for untyped wire bodies: translation reads whatever a client or provider
// sent, so every access tolerates a missing or mistyped field instead of throwing.

export type Json = Record<string, unknown>;

export function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Json | undefined {
  return isObj(v) ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Parses JSON, or undefined when it is not valid JSON. */
export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Copies `from[key]` to `to[as]` when it is present (not undefined/null). */
export function copyIf(from: Json, to: Json, key: string, as = key): void {
  const v = from[key];
  if (v !== undefined && v !== null) to[as] = v;
}

let seq = 0;
/** A unique-enough id for synthesised messages and tool calls (not a secret). */
export function newId(prefix: string): string {
  seq = (seq + 1) % 0x100000;
  return `${prefix}${Date.now().toString(36)}${seq.toString(36).padStart(4, '0')}${Math.random().toString(36).slice(2, 8)}`;
}
