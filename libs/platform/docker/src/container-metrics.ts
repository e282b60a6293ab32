import { Inject, Injectable } from '@nestjs/common';
import Docker from 'dockerode';
import { CONFIG, type Config } from '@slipway/config';
import { DockerUnavailableError, DockerOperationError } from './docker.errors';
import { dockerMessage, dockerStatus, isUnreachable, parseDockerHost, withTimeout, type DockerAddress } from './docker-internals';
import { labelFilter } from './labels';

/**
 * Resource counters and lifecycle events of containers, for the observability collector. A port
 * of its own (not part of ContainerRuntime): only the worker's resource sampler uses it, and the
 * deploy path never depends on it. `DockerContainerMetrics` is the dockerode implementation.
 */
export interface ContainerMetrics {
  /**
   * One reading of a container's counters (one-shot: the engine does not wait a second for a
   * second reading). Null when the container is gone or not running. Rejects after `timeoutMs`.
   */
  stats(id: string, options: { timeoutMs: number }): Promise<ContainerStatsReading | null>;

  /**
   * Container events (`start`, `die`, `oom`, `restart`) of containers carrying every given label,
   * between `since` and `until` (both in the past: the engine answers and closes the stream at
   * `until`), oldest first.
   */
  events(options: { since: Date; until: Date; labels: Record<string, string>; timeoutMs: number }): Promise<ContainerEvent[]>;
}

export const CONTAINER_METRICS = Symbol('CONTAINER_METRICS');

export interface ContainerStatsReading {
  /** When the engine read the counters. */
  readAt: Date;
  /** Cumulative CPU time of the container, nanoseconds (the CPU % is its delta over wall time between two readings). */
  cpuTotalNs: number;
  /** Memory as `docker stats` shows it: usage minus the inactive page cache. */
  memoryBytes: number;
  /** The cgroup's memory limit. */
  memoryLimitBytes: number;
}

export const CONTAINER_EVENT_ACTIONS = ['start', 'die', 'oom', 'restart'] as const;
export type ContainerEventAction = (typeof CONTAINER_EVENT_ACTIONS)[number];

export interface ContainerEvent {
  action: ContainerEventAction;
  containerId: string;
  /** The container name (no leading slash). */
  name: string;
  /** When it happened, with the engine's nanoseconds as a string (a stable part of the event's identity). */
  at: Date;
  timeNano: string;
  /** `die`: the process's exit code. */
  exitCode: number | null;
  labels: Record<string, string>;
}

/** What the engine returns for one-shot stats (the fields used; cgroup v1 and v2 name the page cache differently). */
interface RawStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  time?: number;
  timeNano?: number | string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Memory usage as `docker stats` computes it: minus the inactive file cache (cgroup v1 `total_inactive_file`, v2 `inactive_file`). */
export function memoryWithoutCache(memory: RawStats['memory_stats']): number {
  const usage = memory?.usage ?? 0;
  const stats = memory?.stats ?? {};
  const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  return cache < usage ? usage - cache : usage;
}

/** Parses the engine's event stream (one JSON object per line; objects may span chunks). */
export function parseEvents(text: string): ContainerEvent[] {
  const events: ContainerEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let raw: RawEvent;
    try {
      raw = JSON.parse(line) as RawEvent;
    } catch {
      continue;
    }
    const action = raw.Action ?? raw.status ?? '';
    if (raw.Type !== 'container' || !(CONTAINER_EVENT_ACTIONS as readonly string[]).includes(action)) continue;
    const attributes = raw.Actor?.Attributes ?? {};
    const timeNano = String(raw.timeNano ?? (raw.time ?? 0) * 1e9);
    const exit = attributes.exitCode;
    const { name = '', exitCode: _exit, image: _image, ...labels } = attributes;
    events.push({
      action: action as ContainerEventAction,
      containerId: raw.Actor?.ID ?? raw.id ?? '',
      name: name.replace(/^\//, ''),
      at: new Date(Number(BigInt(timeNano) / 1_000_000n)),
      timeNano,
      exitCode: exit !== undefined && /^-?\d+$/.test(exit) ? Number(exit) : null,
      labels,
    });
  }
  return events;
}

/** Docker's `since`/`until`: Unix seconds with a fraction. */
const unixSeconds = (at: Date) => (at.getTime() / 1000).toFixed(3);

@Injectable()
export class DockerContainerMetrics implements ContainerMetrics {
  private readonly docker: Docker;
  private readonly address: DockerAddress;

  constructor(@Inject(CONFIG) config: Pick<Config, 'DOCKER_HOST'>) {
    this.address = parseDockerHost(config.DOCKER_HOST);
    this.docker = new Docker(this.address.modem);
  }

  async stats(id: string, options: { timeoutMs: number }): Promise<ContainerStatsReading | null> {
    let raw: RawStats;
    try {
      raw = (await withTimeout(this.docker.getContainer(id).stats({ stream: false, 'one-shot': true }), options.timeoutMs)) as RawStats;
    } catch (err) {
      if (dockerStatus(err) === 404) return null;
      throw this.translate('stats', err);
    }
    const cpuTotalNs = raw.cpu_stats?.cpu_usage?.total_usage;
    // A stopped container answers with zeroed counters and no read time worth keeping.
    if (cpuTotalNs === undefined || !raw.memory_stats?.usage || !raw.read || raw.read.startsWith('0001-')) return null;
    return {
      readAt: new Date(raw.read),
      cpuTotalNs,
      memoryBytes: memoryWithoutCache(raw.memory_stats),
      memoryLimitBytes: raw.memory_stats.limit ?? 0,
    };
  }

  async events(options: { since: Date; until: Date; labels: Record<string, string>; timeoutMs: number }): Promise<ContainerEvent[]> {
    try {
      const stream = await withTimeout(
        this.docker.getEvents({
          since: unixSeconds(options.since) as unknown as number,
          until: unixSeconds(options.until) as unknown as number,
          filters: { type: ['container'], event: [...CONTAINER_EVENT_ACTIONS], label: labelFilter(options.labels) },
        }),
        options.timeoutMs,
      );
      const text = await withTimeout(
        new Promise<string>((resolve, reject) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          stream.on('error', reject);
        }),
        options.timeoutMs,
      ).catch((err: unknown) => {
        (stream as unknown as { destroy?: () => void }).destroy?.();
        throw err;
      });
      return parseEvents(text);
    } catch (err) {
      throw this.translate('events', err);
    }
  }

  private translate(operation: string, err: unknown): Error {
    if (isUnreachable(err)) return new DockerUnavailableError(this.address.label, err.code ?? 'unreachable');
    if (err instanceof Error && err.message === 'timeout')
      return new DockerOperationError(operation, undefined, 'the engine did not answer in time');
    return new DockerOperationError(operation, dockerStatus(err), dockerMessage(err));
  }
}
