import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ModelCallError,
  createModelClient,
  type ModelAnswer,
  type ModelClient,
  type ModelClientOptions,
  type ModelQuestion,
} from '@slipway/ai-providers';
import { CONFIG, platformGatewayUrl, type Config } from '@slipway/config';
import { EXPLAIN_FAILURE_FEATURE, type ExplanationDto, type TenantScope } from '@slipway/contracts';
import { AppError, notFound } from '@slipway/errors';
import { GatewayKeysService } from '../keys/gateway-keys.service';
import { EXPLAIN_SYSTEM_PROMPT, buildFailurePrompt, deploymentFailurePrompt } from './failure-prompt';
import { FailureReadsRepository } from './failure-reads.repository';

/** Makes the client that talks to the gateway (tests swap it; production uses the Anthropic SDK). */
export const MODEL_CLIENT_FACTORY = Symbol('MODEL_CLIENT_FACTORY');
export type ModelClientFactory = (options: ModelClientOptions) => ModelClient;
export const defaultModelClientFactory: ModelClientFactory = createModelClient;

/** The built-in alias every routing has unless an app's `gateway:` section replaces its models. */
export const EXPLAIN_MODEL = 'default';
export const EXPLAIN_MAX_TOKENS = 800;
const EXPLAIN_TIMEOUT_MS = 60_000;

/** A failed build of a project, or a failed deployment of an environment, as the caller resolved them. */
export type FailureTarget = { kind: 'build'; projectId: string; id: string } | { kind: 'deployment'; environmentId: string; id: string };

/**
 * "Explain this failure": Slipway asks a model about a failed build's log tail or a failed
 * deployment's timeline and container output, through its own gateway with the environment's
 * key, so the call is routed, limited and billed (feature `explain-failure`) like the app's own.
 */
@Injectable()
export class FailureExplainer {
  private readonly logger = new Logger('gateway');

  constructor(
    @Inject(FailureReadsRepository) private readonly reads: FailureReadsRepository,
    @Inject(GatewayKeysService) private readonly keys: GatewayKeysService,
    @Inject(CONFIG) private readonly config: Pick<Config, 'API_HOST' | 'API_PORT'>,
    @Inject(MODEL_CLIENT_FACTORY) private readonly clients: ModelClientFactory,
  ) {}

  async explain(scope: TenantScope, target: FailureTarget): Promise<ExplanationDto> {
    const { environmentId, prompt } =
      target.kind === 'build' ? await this.buildQuestion(scope, target) : await this.deploymentQuestion(scope, target);
    const apiKey = await this.keys.ensureEnvironmentKey(scope, environmentId);
    const answer = await this.ask(apiKey, {
      model: EXPLAIN_MODEL,
      system: EXPLAIN_SYSTEM_PROMPT,
      prompt,
      maxTokens: EXPLAIN_MAX_TOKENS,
      feature: EXPLAIN_FAILURE_FEATURE,
    });
    return { explanation: answer.text, model: answer.model, requestId: answer.requestId ?? '' };
  }

  private async buildQuestion(scope: TenantScope, target: { projectId: string; id: string }) {
    const build = await this.reads.build(scope, target.projectId, target.id);
    if (!build) throw notFound('Build');
    if (build.status !== 'FAILED') throw notFailed('build', build.status);
    const logTail = await this.reads.buildLogTail(scope, build.id);
    const prompt = buildFailurePrompt({
      project: build.environment.project.name,
      environment: build.environment.name,
      branch: build.branch,
      commitSha: build.commitSha,
      commitMessage: build.message,
      failureReason: build.failureReason,
      logTail,
    });
    return { environmentId: build.environmentId, prompt };
  }

  private async deploymentQuestion(scope: TenantScope, target: { environmentId: string; id: string }) {
    const d = await this.reads.deployment(scope, target.environmentId, target.id);
    if (!d) throw notFound('Deployment');
    if (d.status !== 'FAILED') throw notFailed('deployment', d.status);
    const prompt = deploymentFailurePrompt({
      project: d.environment.project.name,
      environment: d.environment.name,
      kind: d.kind,
      releaseNumber: d.release.number,
      commitSha: d.release.commitSha,
      commitMessage: d.release.message,
      failureReason: d.failureReason,
      timeline: d.events,
      failedReplicaLogs: d.failedReplicaLogs,
    });
    return { environmentId: d.environmentId, prompt };
  }

  private async ask(apiKey: string, question: ModelQuestion): Promise<ModelAnswer> {
    const baseURL = platformGatewayUrl(this.config);
    let answer: ModelAnswer;
    try {
      answer = await this.clients({ baseURL, apiKey, timeoutMs: EXPLAIN_TIMEOUT_MS }).ask(question);
    } catch (err) {
      if (!(err instanceof ModelCallError)) throw err;
      this.logger.warn(`explain-failure: gateway call failed (${err.failure}${err.status ? ` ${err.status}` : ''}): ${err.message}`);
      throw new AppError('EXPLAIN_UNAVAILABLE', unavailableDetail(err));
    }
    if (!answer.text) throw new AppError('EXPLAIN_UNAVAILABLE', `The model (${answer.model}) answered with no text.`);
    return answer;
  }
}

function notFailed(what: 'build' | 'deployment', status: string): AppError {
  return new AppError('NOT_FAILED', `Only a failed ${what} can be explained; this ${what} is ${status.toLowerCase()}.`);
}

function unavailableDetail(err: ModelCallError): string {
  if (err.failure === 'timeout') return 'The model gateway did not answer in time. Try again in a moment.';
  if (err.failure === 'connection') return `Slipway cannot reach its model gateway: ${err.message}`;
  return `The model gateway answered ${err.status ?? 'with an error'}: ${err.message}`;
}
