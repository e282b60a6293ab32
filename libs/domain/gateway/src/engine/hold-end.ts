import type { ServerResponse } from 'node:http';

/**
 * Holds back the end of an answer (`res.end` and what it carries) until `release()` is called;
 * writes before it go out as they come. The engine releases it once the request's usage event
 * is in Redis, so a client never holds an answer whose usage a crash of the api could still lose.
 * Returns `release`, which sends the held end (if the handler ended the answer) exactly once.
 */
export function holdEnd(res: ServerResponse): () => void {
  const end = res.end;
  let held: unknown[] | undefined;
  res.end = function holdingEnd(this: ServerResponse, ...args: unknown[]) {
    held = args;
    return this;
  } as ServerResponse['end'];
  return () => {
    res.end = end;
    if (held) (end as (...a: unknown[]) => ServerResponse).apply(res, held);
    held = undefined;
  };
}
