// The mock's token model, deterministic and documented so tests can compute expected counts:
// a token is a run of up to 8 non-whitespace characters with the whitespace before it.
// "Echo: hello world" is 3 tokens; trailing whitespace is not part of any token.

const TOKEN = /\s*\S{1,8}/g;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

/** FNV-1a, 32 bits: a stable hash for seeds and ids. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOREM = (
  'lorem ipsum dolor sit amet consect adipis elit sed do eiusmod tempor incidid ut labore et dolore magna ' +
  'aliqua enim ad minim veniam quis nostrud exerci ullamco laboris nisi aliquip ex ea commodo conseq duis aute ' +
  'irure in repreh volupt velit esse cillum fugiat nulla pariat excepte sint occaeca cupidat non proiden sunt ' +
  'culpa qui officia deserun mollit anim id est laborum'
).split(' ');

/** n lorem words (each at most 7 letters, so exactly one token each, the final period included). */
export function lorem(n: number, seed: number): string {
  const rnd = seededRandom(seed);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(LOREM[Math.floor(rnd() * LOREM.length)] ?? 'lorem');
  if (words.length === 0) return '';
  const first = words[0] ?? '';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(' ')}.`;
}
