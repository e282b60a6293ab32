import { Controller, Param } from '@nestjs/common';
import { DeploymentsService } from '@slipway/deployments';
import { EnvironmentsService } from '@slipway/projects';
import { JobQueue } from '@slipway/queue';
import { buildPlanSchema, type BuildPlanDto, type DeploymentDetailDto, type DeploymentDto, type DeploymentEventDto, type OrgActor, type ReleaseDto, type RollbackInput } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Releases and deployments of `/orgs/:org/projects/:project/environments/:env`. */
@Controller()
export class DeploymentsController {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly deployments: DeploymentsService,
    private readonly queue: JobQueue,
  ) {}

  @Route('listReleases')
  async releases(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string): Promise<ReleaseDto[]> {
    const environment = await this.environments.resolve(actor, project, env);
    const live = await this.deployments.liveReleaseId(actor, environment.id);
    return (await this.deployments.releases(actor, environment.id)).map((r) => ({
      id: r.id,
      number: r.number,
      commitSha: r.commitSha,
      authorName: r.authorName,
      message: r.message,
      live: r.id === live,
      imageRemoved: r.imageRemovedAt !== null,
      buildPlan: readBuildPlan(r.buildPlan),
      createdAt: r.createdAt.toISOString(),
    }));
  }

  @Route('listDeployments')
  async list(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string): Promise<DeploymentDto[]> {
    const environment = await this.environments.resolve(actor, project, env);
    return (await this.deployments.list(actor, environment.id)).map((d) => toDeploymentDto(d));
  }

  @Route('rollback')
  async rollback(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @ValidBody('rollback') input: RollbackInput): Promise<DeploymentDto> {
    const environment = await this.environments.resolve(actor, project, env);
    const deployment = await this.deployments.rollback(actor, environment.id, input.releaseId, actor);
    await this.queue.enqueue('deploy', deployment.id, { organizationId: actor.organizationId, deploymentId: deployment.id });
    return toDeploymentDto(await this.deployments.find(actor, deployment.id));
  }

  @Route('getDeployment')
  async get(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @Param('deploymentId') deploymentId: string): Promise<DeploymentDetailDto> {
    const environment = await this.environments.resolve(actor, project, env);
    const d = await this.deployments.detail(actor, environment.id, deploymentId);
    return {
      ...toDeploymentDto(d),
      environment: environment.name,
      buildId: d.buildId,
      events: d.events.map((e) => ({ at: e.at.toISOString(), step: e.step, message: e.message, level: toLevel(e.level) })),
      failedReplicaLogs: d.failedReplicaLogs,
    };
  }

  @Route('redeploy')
  async redeploy(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string): Promise<DeploymentDto> {
    const environment = await this.environments.resolve(actor, project, env);
    const deployment = await this.deployments.redeploy(actor, environment.id, actor);
    await this.queue.enqueue('deploy', deployment.id, { organizationId: actor.organizationId, deploymentId: deployment.id });
    return toDeploymentDto(await this.deployments.find(actor, deployment.id));
  }
}

const toLevel = (level: string): DeploymentEventDto['level'] => (level === 'warn' || level === 'error' ? level : 'info');

interface DeploymentRow {
  id: string;
  kind: DeploymentDto['kind'];
  status: DeploymentDto['status'];
  releaseId: string;
  release: { number: number; commitSha: string; message: string };
  failureReason: string | null;
  reason: string | null;
  automatic: boolean;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

function toDeploymentDto(d: DeploymentRow, now = new Date()): DeploymentDto {
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    releaseId: d.releaseId,
    releaseNumber: d.release.number,
    commitSha: d.release.commitSha,
    message: d.release.message,
    failureReason: d.failureReason,
    reason: d.reason,
    automatic: d.automatic,
    queuedAt: d.queuedAt.toISOString(),
    startedAt: d.startedAt?.toISOString() ?? null,
    finishedAt: d.finishedAt?.toISOString() ?? null,
    durationMs: d.startedAt ? (d.finishedAt ?? now).getTime() - d.startedAt.getTime() : null,
  };
}

/** The stored plan, or null for releases from before plans were recorded (or a row that does not parse). */
function readBuildPlan(value: unknown): BuildPlanDto | null {
  const parsed = buildPlanSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
