import { describe, expect, it } from 'vitest';
import { createMemorySourceTree, isInside, joinPath, normalizeRepoPath, relativeTo } from './source-tree';

describe('repository paths', () => {
  it.each([
    ['./docker//Dockerfile', 'docker/Dockerfile'],
    ['app/', 'app'],
    ['', '.'],
    ['.', '.'],
    ['./', '.'],
    ['a/./b', 'a/b'],
  ])('normalizes %j to %j', (input, output) => {
    expect(normalizeRepoPath(input)).toBe(output);
  });

  it.each(['/etc/passwd', '../x', 'a/../../b', 'a/..', 'a\\b', 'a\0b'])('refuses %j, which leaves the repository', (input) => {
    expect(normalizeRepoPath(input)).toBeNull();
  });

  it('joins, tests containment and relativizes', () => {
    expect(joinPath('.', 'Dockerfile')).toBe('Dockerfile');
    expect(joinPath('app', 'Dockerfile')).toBe('app/Dockerfile');
    expect(isInside('app/Dockerfile', 'app')).toBe(true);
    expect(isInside('application/Dockerfile', 'app')).toBe(false);
    expect(isInside('anything', '.')).toBe(true);
    expect(relativeTo('app/docker/Dockerfile', 'app')).toBe('docker/Dockerfile');
    expect(relativeTo('Dockerfile', '.')).toBe('Dockerfile');
  });
});

describe('createMemorySourceTree', () => {
  it('reads files and knows files and folders', async () => {
    const tree = createMemorySourceTree({ 'public/index.html': '<h1>', 'package.json': '{}' });
    expect(await tree.readFile('public/index.html')).toBe('<h1>');
    expect(await tree.readFile('public')).toBeNull();
    expect(await tree.readFile('missing')).toBeNull();
    expect(await tree.exists('public')).toBe(true);
    expect(await tree.exists('publi')).toBe(false);
    expect(await tree.exists('package.json')).toBe(true);
  });
});
