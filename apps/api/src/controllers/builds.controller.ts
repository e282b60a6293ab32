import { Controller, Inject, Logger, Param, Req, Res, type OnApplicationShutdown } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BuildsService, type BuildView } from '@slipway/builds';
import { ProjectsService } from '@slipway/projects';
import { CONFIG, type Config } from '@slipway/config';
import { AppError } from '@slipway/errors';
import { ConcurrencyLeases, RedisService, type Lease } from '@slipway/redis';
import {
  BUILD_CANCEL_CHANNEL,
  FINAL_BUILD_STATUSES,
  type BuildDto,
  type BuildLogEndEvent,
  type BuildLogLineEvent,
  type OrgActor,
} from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg } from '../http/params';
import type { SlipwayRequest } from '../http/request-context';

/** How often a live log polls for new lines, and how often an idle stream sends a comment. */
export const LOG_POLL_MS = 300;
export const KEEP_ALIVE_MS = 15_000;
/** A stream's place in the per-user count outlives a crashed api process by at most this. */
export const STREAM_LEASE_SECONDS = 60;

/** Builds of `/orgs/:org/projects/:project`, and their live log as Server-Sent Events. */
@Controller()
export class BuildsController implements OnApplicationShutdown {
  private readonly logger = new Logger(BuildsController.name);
  /** Open log streams, ended on shutdown so the api does not wait for their clients. */
  private readonly streams = new Set<AbortController>();

  constructor(
    private readonly projects: ProjectsService,
    private readonly builds: BuildsService,
    private readonly redis: RedisService,
    private readonly leases: ConcurrencyLeases,
    @Inject(CONFIG) private readonly config: Pick<Config, 'LOG_STREAMS_PER_USER'>,
  ) {}

  @Route('listBuilds')
  async list(@CurrentOrg() actor: OrgActor, @Param('project') project: string): Promise<BuildDto[]> {
    const { id } = await this.projects.require(actor, project);
    return (await this.builds.listForProject(actor, id)).map((b) => toBuildDto(b));
  }

  @Route('getBuild')
  async get(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('buildId') buildId: string): Promise<BuildDto> {
    const { id } = await this.projects.require(actor, project);
    return toBuildDto(await this.builds.view(actor, id, buildId));
  }

  /**
   * Cancels a QUEUED build at once; for a RUNNING one, publishes its id on
   * BUILD_CANCEL_CHANNEL for the worker that runs it (which finishes it as CANCELLED).
   */
  @Route('cancelBuild')
  async cancel(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('buildId') buildId: string): Promise<BuildDto> {
    const { id } = await this.projects.require(actor, project);
    const { build, stopRequested } = await this.builds.cancel(actor, id, buildId, actor.email);
    if (stopRequested) await this.redis.client.publish(BUILD_CANCEL_CHANNEL, build.id);
    return toBuildDto(build);
  }

  /**
   * `text/event-stream`: the stored lines, then new ones as the build writes them (polled),
   * then one `end` event with the final status. `Last-Event-ID` (a seq) resumes after that line.
   */
  @Route('buildLog')
  async log(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('buildId') buildId: string,
    @Req() req: SlipwayRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Resolve before hijacking, so an unknown build answers a normal 404 problem.
    const { id: projectId } = await this.projects.require(actor, project);
    await this.builds.view(actor, projectId, buildId);
    const lastId = Number.parseInt(String(req.headers['last-event-id'] ?? ''), 10);
    const lease = await this.streamLease(actor);

    reply.hijack();
    const stop = new AbortController();
    this.streams.add(stop);
    reply.raw.on('close', () => stop.abort());
    try {
      await streamBuildLog(
        reply.raw,
        {
          lines: (afterSeq) => this.builds.logLines(actor, buildId, afterSeq),
          state: () => this.builds.view(actor, projectId, buildId),
        },
        { afterSeq: Number.isSafeInteger(lastId) ? lastId : -1, requestId: String(req.id), signal: stop.signal },
      );
    } catch (err) {
      this.logger.warn(`Build log stream of ${buildId} ended early: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await lease
        .release()
        .catch((err: unknown) =>
          this.logger.warn(`Build log stream of ${buildId}: its place was not given back (it expires): ${String(err)}`),
        );
      this.streams.delete(stop);
      if (!reply.raw.writableEnded) reply.raw.end();
    }
  }

  /**
   * One place among the user's LOG_STREAMS_PER_USER open streams (all api processes count
   * together in Redis), given back when the stream ends or its client goes; a crashed process's
   * places expire after STREAM_LEASE_SECONDS.
   */
  private async streamLease(actor: OrgActor): Promise<Lease> {
    const limit = this.config.LOG_STREAMS_PER_USER;
    const lease = await this.leases.acquire(`log-streams:user:${actor.userId}`, limit, STREAM_LEASE_SECONDS);
    if (lease) return lease;
    throw new AppError(
      'TOO_MANY_STREAMS',
      `You already have ${limit} live log streams open (LOG_STREAMS_PER_USER = ${limit}). Close one (a browser tab or a follower of a build) and retry.`,
      undefined,
      { retryAfterSeconds: 5 },
    );
  }

  onApplicationShutdown(): void {
    for (const s of this.streams) s.abort();
  }
}

/** What a live log reads: lines after a seq, and the build's status. */
export interface BuildLogSource {
  lines: (afterSeq: number) => Promise<{ seq: number; line: string }[]>;
  state: () => Promise<{ status: BuildDto['status']; failureReason: string | null }>;
}

/** The writable half of an HTTP response (node's ServerResponse). */
export interface EventSink {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Writes a build's log as Server-Sent Events until the build is final or `signal` aborts.
 * The status is read before the lines each round, so lines written just before a build
 * finished are always sent before `end`.
 */
export async function streamBuildLog(
  out: EventSink,
  source: BuildLogSource,
  options: { afterSeq: number; requestId?: string; signal: AbortSignal; pollMs?: number; keepAliveMs?: number },
): Promise<void> {
  const { signal } = options;
  const pollMs = options.pollMs ?? LOG_POLL_MS;
  const keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS;
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    // no-transform: compression middleware (Next's proxy among them) must not buffer the stream.
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
  });
  let afterSeq = options.afterSeq;
  let lastWrite = Date.now();
  const send = async (chunk: string) => {
    lastWrite = Date.now();
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  await send(`retry: 2000\n\n`);
  while (!signal.aborted) {
    const state = await source.state();
    const lines = await source.lines(afterSeq);
    if (signal.aborted) return;
    if (lines.length > 0) {
      await send(lines.map((l) => sseEvent('line', { seq: l.seq, line: l.line } satisfies BuildLogLineEvent, l.seq)).join(''));
      afterSeq = lines[lines.length - 1]!.seq;
    }
    if (FINAL_BUILD_STATUSES.includes(state.status)) {
      await send(sseEvent('end', { status: state.status, failureReason: state.failureReason } satisfies BuildLogEndEvent));
      return;
    }
    if (Date.now() - lastWrite >= keepAliveMs) await send(`: keep-alive\n\n`);
    await sleep(pollMs, signal);
  }
}

function sseEvent(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function toBuildDto(b: BuildView, now = new Date()): BuildDto {
  return {
    id: b.id,
    environment: b.environment.name,
    status: b.status,
    commitSha: b.commitSha,
    branch: b.branch,
    message: b.message,
    authorName: b.authorName,
    failureReason: b.failureReason,
    reusedImage: b.reusedImage,
    queuedAt: b.queuedAt.toISOString(),
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
    durationMs: b.startedAt ? (b.finishedAt ?? now).getTime() - b.startedAt.getTime() : null,
    releaseNumber: b.release?.number ?? null,
    deploymentId: b.release?.deployments[0]?.id ?? null,
  };
}
