import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '@slipway/config';
import { describe, expect, it } from 'vitest';

// .env.example is the self-hoster's reference: it must list every variable the schema reads.
const text = readFileSync(path.resolve(__dirname, '..', '.env.example'), 'utf8');
const listed = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

describe('.env.example', () => {
  it('lists every variable of the config schema', () => {
    const missing = Object.keys(configSchema.shape).filter((key) => !listed.has(key));
    expect(missing).toEqual([]);
  });

  it('shows each variable with its description as a comment', () => {
    for (const [key, field] of Object.entries(configSchema.shape)) {
      const description = (field as { description?: string }).description;
      if (description) expect(text, key).toContain(description);
    }
  });
});
