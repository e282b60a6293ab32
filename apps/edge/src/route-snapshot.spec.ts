import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RouteSnapshot } from './route-snapshot';
import { tableOf } from './testing/http-fixtures';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'edge-snap-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('RouteSnapshot', () => {
  it('reads nothing before the first save', () => {
    expect(new RouteSnapshot(tmp()).read()).toBeUndefined();
  });

  it('writes atomically and keeps the newest of concurrent saves', async () => {
    const dir = tmp();
    const snap = new RouteSnapshot(dir);
    await Promise.all([snap.save(tableOf(1, [3001])), snap.save(tableOf(2, [3002])), snap.save(tableOf(3, [3003]))]);
    expect((snap.read() as { version: number }).version).toBe(3);
    expect(readdirSync(path.join(dir, 'edge'))).toEqual(['routes.json']); // no temporary file left
  });

  it('throws on a corrupt file (the caller then starts empty)', () => {
    const dir = tmp();
    const snap = new RouteSnapshot(dir);
    mkdirSync(path.dirname(snap.file), { recursive: true });
    writeFileSync(snap.file, '{not json');
    expect(() => snap.read()).toThrow();
  });
});
