import type { ApiCategory } from '@slipway/contracts';

/** Category names as people read them ("developer-tools" → "Developer tools", "ai" → "AI"). */
export function categoryLabel(c: ApiCategory | string): string {
  if (c === 'ai') return 'AI';
  const words = c.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
