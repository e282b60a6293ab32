/**
 * What a process does with a promise rejection nothing handled. Node's default is to exit, so
 * one forgotten promise (a log flush while PostgreSQL restarts) would take a worker down with
 * every build it runs. Rejections are handled where they arise; this is the backstop for the
 * rest: each one is logged with its stack and counted (the api exports the count on /metrics),
 * and the process keeps serving.
 */
let count = 0;
let installed: ((reason: unknown) => void) | null = null;

/** Unhandled rejections seen by this process since it started. */
export const unhandledRejections = (): number => count;

/**
 * Installs the policy on `target` (the process; a test passes an emitter). Installing again
 * replaces the logger. Returns the function that removes it.
 */
export function keepRunningOnUnhandledRejections(
  log: (message: string) => void,
  target: Pick<NodeJS.EventEmitter, 'on' | 'off'> = process,
): () => void {
  if (installed) target.off('unhandledRejection', installed);
  const listener = (reason: unknown): void => {
    count += 1;
    const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log(`unhandled promise rejection #${count} (the process keeps running; this is a bug to fix where the promise is made): ${detail}`);
  };
  installed = listener;
  target.on('unhandledRejection', listener);
  return () => {
    target.off('unhandledRejection', listener);
    if (installed === listener) installed = null;
  };
}

/** The count in Prometheus' text format, for a /metrics answer. */
export function unhandledRejectionsMetric(): string {
  return [
    '# HELP slipway_unhandled_rejections_total Promise rejections nothing handled; each was logged and the process kept running.',
    '# TYPE slipway_unhandled_rejections_total counter',
    `slipway_unhandled_rejections_total ${count}`,
    '',
  ].join('\n');
}
