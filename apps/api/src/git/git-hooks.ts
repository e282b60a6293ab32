import { resolve } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CONFIG, type Config } from '@slipway/config';
import { SignedTokens } from '@slipway/crypto';
import { PushService } from '@slipway/deployments';
import { EnvironmentsService, type GitAccess } from '@slipway/projects';

/** Where the pre-receive hook calls back; only the hook (with its signed token) may use it. */
export const PRE_RECEIVE_PATH = '/internal/git/pre-receive';
const PURPOSE = 'git-pre-receive';
const EXIT_MARKER = '__slipway_exit__';
/** Long enough for a build and a deployment; the push waits for both. */
const HOOK_TOKEN_TTL_SECONDS = 2 * 3600;

const hookRequestSchema = z.object({
  updates: z.array(z.object({ oldSha: z.string().regex(/^[0-9a-f]{40,64}$/), newSha: z.string().regex(/^[0-9a-f]{40,64}$/), ref: z.string().min(1).max(1000) })).max(100),
  objects: z.partialRecord(z.enum(['GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH']), z.string()).default({}),
});

interface HookClaims extends Record<string, unknown> {
  organizationId: string;
  organizationSlug: string;
  projectId: string;
  projectSlug: string;
  hostLabel: string;
  repositoryPath: string;
}

/**
 * The push half of push-to-deploy. A receive-pack runs with core.hooksPath pointing at
 * Slipway's hooks and a signed token naming the project; the pre-receive hook posts the
 * pushed refs back here, and the answer streams the build log and deployment steps, which
 * git prints to the pusher.
 */
@Injectable()
export class GitHooks {
  private readonly logger = new Logger('git-hooks');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly tokens: SignedTokens,
    private readonly pushes: PushService,
    private readonly environments: EnvironmentsService,
  ) {}

  environmentFor(access: GitAccess): Record<string, string> {
    const claims: HookClaims = {
      organizationId: access.organizationId,
      organizationSlug: access.organizationSlug,
      projectId: access.projectId,
      projectSlug: access.projectSlug,
      hostLabel: access.hostLabel,
      repositoryPath: access.repositoryPath,
    };
    return {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.hooksPath',
      GIT_CONFIG_VALUE_0: resolve(this.config.GIT_HOOKS_DIR),
      SLIPWAY_HOOK_URL: `http://127.0.0.1:${this.config.API_PORT}${PRE_RECEIVE_PATH}`,
      SLIPWAY_HOOK_TOKEN: this.tokens.sign(PURPOSE, claims, HOOK_TOKEN_TTL_SECONDS),
    };
  }

  async preReceive(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? this.tokens.verify<HookClaims>(PURPOSE, token) : null;
    const body = hookRequestSchema.safeParse(req.body);
    if (!claims || !body.success) {
      await reply.status(claims ? 400 : 401).type('text/plain').send(`${claims ? 'Malformed hook request.' : 'Invalid hook token.'}\n${EXIT_MARKER} 1\n`);
      return;
    }
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
    const say = (line: string) => out.write(`${line}\n`);
    let ok = false;
    try {
      // Each environment's reserved host (which may predate the naming rule), read once per push.
      const urls = await this.environments.appUrls({ organizationId: claims.organizationId }, claims.projectId);
      ok = await this.pushes.receive(
        { organizationId: claims.organizationId },
        { projectId: claims.projectId, repositoryPath: claims.repositoryPath },
        body.data.updates,
        body.data.objects,
        say,
        (env) => urls.get(env) ?? 'its URL (shown in the console)',
      );
    } catch (err) {
      this.logger.error(`push to ${claims.organizationSlug}/${claims.projectSlug}: ${err instanceof Error ? err.stack : String(err)}`);
      say('Slipway hit an internal error while processing this push; nothing was deployed.');
    }
    out.end(`${EXIT_MARKER} ${ok ? 0 : 1}\n`);
  }
}
