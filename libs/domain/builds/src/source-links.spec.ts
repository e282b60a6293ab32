import { describe, expect, it } from 'vitest';
import { TreeLinks } from './source-links';

/** Files (`null`) and links (`'target'`) of a tree, in listing order; the first escaping link. */
function escaping(entries: Record<string, string | null>) {
  const tree = new TreeLinks();
  for (const [path, target] of Object.entries(entries)) expect(tree.addEntry(path, target !== null)).toBeNull();
  tree.setTargets(Object.values(entries).filter((t): t is string => t !== null));
  return tree.firstEscapingLink();
}

describe('TreeLinks: links resolved as the OS would', () => {
  it('accepts links that stay inside, including through other links and up and down again', () => {
    expect(escaping({ 'dist/index.html': null, public: 'dist', 'a/b/c': '../../dist/index.html', 'a/up': '..', 'a/x': 'up/dist/./index.html', dangling: 'nowhere/at/all' })).toBeNull();
  });

  it('refuses an absolute target, naming the link and its target', () => {
    expect(escaping({ 'index.html': '/etc/passwd' })).toEqual({ path: 'index.html', target: '/etc/passwd', why: 'absolute' });
    expect(escaping({ ctx: '/' })).toMatchObject({ why: 'absolute' });
  });

  it('refuses a target that climbs above the root, even after going down first', () => {
    expect(escaping({ 'a/b': '../../etc' })).toEqual({ path: 'a/b', target: '../../etc', why: 'escapes' });
    expect(escaping({ x: 'sub/../../secret' })).toMatchObject({ why: 'escapes' });
  });

  it('resolves through other links: a -> d/up/.. escapes when d/up -> .. (lexically it would be d)', () => {
    expect(escaping({ 'd/up': '..', a: 'd/up/..' })).toEqual({ path: 'a', target: 'd/up/..', why: 'escapes' });
    // Listing order does not matter: the link used by another can come later.
    expect(escaping({ a: 'd/up/../x', 'd/up': '..' })).toMatchObject({ path: 'a', why: 'escapes' });
  });

  it('refuses a link through a link to an absolute path', () => {
    expect(escaping({ 'safe/x': null, hop: 'b/..', b: '/' })).toMatchObject({ path: 'hop', why: 'absolute' });
  });

  it('refuses loops and chains deeper than the OS follows', () => {
    expect(escaping({ a: 'b', b: 'a' })).toMatchObject({ path: 'a', why: 'too-deep' });
    const chain: Record<string, string> = {};
    for (let i = 0; i < 45; i++) chain[`l${i}`] = `l${i + 1}`;
    expect(escaping(chain)).toMatchObject({ why: 'too-deep' });
    const ok: Record<string, string> = {};
    for (let i = 0; i < 30; i++) ok[`l${i}`] = `l${i + 1}`;
    expect(escaping(ok)).toBeNull();
  });

  it('keeps names that differ only in their bytes apart (paths are latin1-held bytes)', () => {
    // Both would decode to U+FFFD as UTF-8; as bytes they are two links.
    expect(escaping({ 'x/y/\xfe': '../..', 'x/y/\xff': 'd', a: 'x/y/\xfe/..' })).toMatchObject({ path: 'a', why: 'escapes' });
  });

  it('refuses paths that cannot be checked out safely', () => {
    const tree = new TreeLinks();
    expect(tree.addEntry('a/../b', false)).toEqual({ path: 'a/../b', why: 'bad-name' });
    expect(tree.addEntry('ok', false)).toBeNull();
    expect(tree.addEntry('ok', true)).toEqual({ path: 'ok', why: 'duplicate' });
    expect(tree.addEntry('ok/inner', false)).toEqual({ path: 'ok/inner', why: 'link-and-folder' });
    expect(tree.addEntry('dir/file', false)).toBeNull();
    expect(tree.addEntry('dir', true)).toEqual({ path: 'dir', why: 'link-and-folder' });
  });

  it('stays linear: 100,000 links with long targets through each other are checked in well under the time bound', () => {
    const tree = new TreeLinks();
    const targets: string[] = [];
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      tree.addEntry(`d${i % 100}/l${i}`, true);
      // Each link goes through the previous one and then down and up a long way.
      targets.push(i === 0 ? '.' : `../d${(i - 1) % 100}/l${i - 1}/${'x/'.repeat(50)}${'../'.repeat(50)}`);
    }
    tree.setTargets(targets);
    const started = performance.now();
    // The chain is deeper than MAX_LINK_DEPTH only through memoized links, which cost nothing twice.
    expect(tree.firstEscapingLink()).toBeNull();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
