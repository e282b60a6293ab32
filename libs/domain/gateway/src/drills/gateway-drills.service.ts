import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import { CONFIG, type Config } from '@slipway/config';
import {
  gatewayDrillsQuerySchema,
  startGatewayDrillInputSchema,
  type DrillPlan,
  type GatewayDrillDto,
  type GatewayDrillsQuery,
  type OrgActor,
  type StartGatewayDrillInput,
  type TenantScope,
} from '@slipway/contracts';
import type { Prisma } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { GatewayDefaultsService } from '../defaults/gateway-defaults.service';
import { circuitKey } from '../engine/circuit-key';
import { GatewayEngine } from '../engine';
import { GatewayKeysRepository, type EnvironmentRef } from '../keys/gateway-keys.repository';
import { GatewayKeysService } from '../keys/gateway-keys.service';
import { parseInput } from '../providers/parse-input';
import { UsageRecorder } from '../usage';
import { runDrill } from './drill-run';
import { resolveDrillTarget, type DrillTarget } from './drill-target';
import { toGatewayDrillDto, type StoredOutcome } from './drill.mapper';
import { GatewayDrillsRepository } from './gateway-drills.repository';

/** A RUNNING row older than this belongs to an api that died mid-drill (the longest drill is 63 s). */
const STALE_AFTER_MS = 5 * 60_000;
/** How long shutdown waits for running drills to record that they stopped. */
const SHUTDOWN_WAIT_MS = 5_000;

interface Running {
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Failover drills. The api process that accepts a drill runs it in the background: it injects
 * the fault into its own gateway engine and sends the synthetic load to its own /v1/messages,
 * so fault, breakers and load all live in one process. One drill per environment (a row lock
 * on the environment decides), and one per route key in a process (faults are keyed by route).
 */
@Injectable()
export class GatewayDrillsService implements OnModuleDestroy {
  private readonly logger = new Logger('gateway-drills');
  private readonly running = new Map<string, Running>();
  /** Environments and route keys claimed synchronously, before the first await of a start. */
  private readonly claims = new Set<string>();

  constructor(
    @Inject(GatewayDrillsRepository) private readonly repository: GatewayDrillsRepository,
    @Inject(GatewayDefaultsService) private readonly defaults: GatewayDefaultsService,
    @Inject(GatewayKeysService) private readonly keys: GatewayKeysService,
    /** Environments as the gateway sees them (lookup by name, names for lists, the row lock). */
    @Inject(GatewayKeysRepository) private readonly environments: GatewayKeysRepository,
    @Inject(GatewayEngine) private readonly engine: GatewayEngine,
    @Inject(UsageRecorder) private readonly usage: UsageRecorder,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: Pick<Config, 'API_HOST' | 'API_PORT'>,
  ) {}

  /** Starts a drill in `environment` (already resolved in the actor's organization) and returns at once. */
  async start(actor: OrgActor, environment: EnvironmentRef, raw: StartGatewayDrillInput): Promise<GatewayDrillDto> {
    const input = parseInput(startGatewayDrillInputSchema, raw);
    const routing = await this.defaults.effective(actor, environment.id);
    const target = resolveDrillTarget(routing.config, { route: input.route, alias: input.alias });
    const fault = input.fault.kind === 'status' ? { ...input.fault, status: input.fault.status ?? 503 } : input.fault;
    const plan: DrillPlan = { route: target.routeKey, alias: target.alias, fault, durationSeconds: input.durationSeconds, concurrency: input.concurrency };

    const claims = [`env:${environment.id}`, `route:${circuitKey(actor.organizationId, target.routeKey)}`];
    this.claim(claims, circuitKey(actor.organizationId, target.routeKey), target.routeKey);
    try {
      const token = await this.keys.ensureEnvironmentKey(actor, environment.id);
      const row = await this.repository.transaction(async (tx) => {
        if (!(await this.environments.lockEnvironment(actor, environment.id, tx))) throw notFound(`Environment "${environment.name}"`);
        const now = Date.now();
        for (const other of await this.repository.running(actor, environment.id, tx)) {
          if (now - other.createdAt.getTime() < STALE_AFTER_MS) throw new AppError('DRILL_RUNNING', `Drill ${other.id} is still running in "${environment.name}"; wait for its report.`);
          await this.repository.finish(actor, other.id, 'FAILED', { error: 'The api running this drill stopped before it finished.' }, tx);
        }
        const created = await this.repository.create(actor, { projectId: environment.projectId, environmentId: environment.id, plan: plan as Prisma.InputJsonValue, createdById: actor.userId }, tx);
        await this.audit.record(
          {
            organizationId: actor.organizationId,
            actor,
            action: 'gateway.drill_started',
            target: `gateway-drill:${created.id}`,
            metadata: { projectId: environment.projectId, environment: environment.name, ...plan },
          },
          tx,
        );
        return created;
      });
      this.launch(actor, row.id, plan, target, token, claims);
      return toGatewayDrillDto(row, environment.name);
    } catch (err) {
      this.release(claims);
      throw err;
    }
  }

  async list(scope: TenantScope, projectId: string, raw: GatewayDrillsQuery): Promise<GatewayDrillDto[]> {
    const query = parseInput(gatewayDrillsQuerySchema, raw);
    let environmentId: string | undefined;
    if (query.environment !== undefined) {
      const env = await this.environments.findEnvironmentByName(scope, projectId, query.environment);
      if (!env) throw notFound(`Environment "${query.environment}"`);
      environmentId = env.id;
    }
    const rows = await this.repository.list(scope, projectId, environmentId, query.limit);
    const names = await this.environments.environmentNames(scope, rows.flatMap((r) => (r.environmentId ? [r.environmentId] : [])));
    return rows.map((r) => toGatewayDrillDto(r, (r.environmentId && names.get(r.environmentId)) || '(deleted)'));
  }

  async get(scope: TenantScope, projectId: string, drillId: string): Promise<GatewayDrillDto> {
    const row = await this.repository.find(scope, projectId, drillId);
    if (!row) throw notFound('Drill');
    const names = await this.environments.environmentNames(scope, row.environmentId ? [row.environmentId] : []);
    return toGatewayDrillDto(row, (row.environmentId && names.get(row.environmentId)) || '(deleted)');
  }

  /** Stops running drills, clears their faults and records them as FAILED ("api stopped"). */
  async onModuleDestroy(): Promise<void> {
    const running = [...this.running.values()];
    for (const drill of running) drill.abort.abort(new Error('api stopped'));
    const all = Promise.allSettled(running.map((d) => d.done));
    await Promise.race([all, new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref())]);
  }

  private claim(claims: string[], circuit: string, routeKey: string): void {
    const busyRoute = this.engine.faults.active().some((f) => f.routeKey === circuit);
    if (claims.some((c) => this.claims.has(c)) || busyRoute) {
      throw new AppError('DRILL_RUNNING', this.claims.has(claims[0]!) ? undefined : `Another drill is injecting faults into ${routeKey} on this api; wait for its report.`);
    }
    for (const c of claims) this.claims.add(c);
  }

  private release(claims: string[]): void {
    for (const c of claims) this.claims.delete(c);
  }

  private launch(scope: TenantScope, drillId: string, plan: DrillPlan, target: DrillTarget, token: string, claims: string[]): void {
    const abort = new AbortController();
    const done = (async () => {
      let outcome: { status: 'SUCCEEDED' | 'FAILED'; stored: StoredOutcome };
      try {
        const report = await runDrill(
          { faults: this.engine.faults, breakers: this.engine.breakers, usage: this.usage },
          { drillId, organizationId: scope.organizationId, plan, target, baseUrl: this.baseUrl(), token, signal: abort.signal },
        );
        outcome = { status: 'SUCCEEDED', stored: report };
      } catch (err) {
        const message = abort.signal.aborted ? 'api stopped' : `The drill failed: ${err instanceof Error ? err.message : String(err)}`;
        if (!abort.signal.aborted) this.logger.error(`drill ${drillId}: ${err instanceof Error ? err.stack : String(err)}`);
        outcome = { status: 'FAILED', stored: { error: message } };
      }
      try {
        await this.repository.finish(scope, drillId, outcome.status, outcome.stored as Prisma.InputJsonValue);
      } catch (err) {
        this.logger.error(`drill ${drillId}: the report could not be saved: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.running.delete(drillId);
        this.release(claims);
      }
    })();
    this.running.set(drillId, { abort, done });
  }

  /** This api over loopback: the drill's load goes through the real HTTP path. */
  private baseUrl(): string {
    const host = ['0.0.0.0', '::', ''].includes(this.config.API_HOST) ? '127.0.0.1' : this.config.API_HOST;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.config.API_PORT}`;
  }
}
