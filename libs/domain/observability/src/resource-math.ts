import type { ContainerEvent, ContainerStatsReading } from '@slipway/docker';

/**
 * Percent of one CPU (100 = one core) between the previous reading (`<readAt ms>:<cpu ns>` as
 * the sampler keeps it) and this one. Null without a usable previous reading: none, malformed,
 * not older than this one, or a counter that went back (the container restarted in between).
 */
export function cpuPercentBetween(previous: string | undefined, reading: ContainerStatsReading): number | null {
  if (!previous) return null;
  const [at, cpu] = previous.split(':').map(Number);
  if (!Number.isFinite(at) || !Number.isFinite(cpu)) return null;
  const wallNs = (reading.readAt.getTime() - at!) * 1e6;
  const cpuNs = reading.cpuTotalNs - cpu!;
  if (wallNs <= 0 || cpuNs < 0) return null;
  return Math.round((cpuNs / wallNs) * 100 * 100) / 100;
}

/** How long before a `die` an `oom` of the same container makes it an OOM kill. */
const OOM_WINDOW_MS = 10_000;

/** The `die` events the kernel's OOM killer caused: an `oom` of the same container came just before. */
export function oomKilledDies(events: readonly ContainerEvent[]): Set<ContainerEvent> {
  const lastOom = new Map<string, number>();
  const killed = new Set<ContainerEvent>();
  for (const e of [...events].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (e.action === 'oom') lastOom.set(e.containerId, e.at.getTime());
    else if (e.action === 'die') {
      const oomAt = lastOom.get(e.containerId);
      if (oomAt !== undefined && e.at.getTime() - oomAt <= OOM_WINDOW_MS) killed.add(e);
    }
  }
  return killed;
}
