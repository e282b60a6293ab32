import type { ModelInfo } from '@slipway/contracts';
import type { RequestNeeds } from './request-needs';

/** Why a model cannot serve a request, as short phrases ("no tool use"); empty when it can. */
export function shortfalls(info: ModelInfo, needs: RequestNeeds): string[] {
  const lacks: string[] = [];
  if (needs.tools && !info.tools) lacks.push('no tool use');
  if (needs.vision && !info.vision) lacks.push('no image input');
  if (needs.stream && !info.streaming) lacks.push('no streaming');
  // Input only: the estimate is rough, and clients routinely ask for more output than they get.
  if (needs.inputTokensEstimate >= info.contextWindow) lacks.push(`a context window of ${count(info.contextWindow)} tokens`);
  return lacks;
}

/** "tool use, image input and about 1,200 input tokens" */
export function describeNeeds(needs: RequestNeeds): string {
  const parts = [
    needs.tools && 'tool use',
    needs.vision && 'image input',
    needs.stream && 'streaming',
    `about ${count(needs.inputTokensEstimate)} input tokens`,
  ];
  const named = parts.filter((p): p is string => typeof p === 'string');
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

const count = (n: number) => n.toLocaleString('en-US');
