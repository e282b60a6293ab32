import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '@slipway/config';
import { ERROR_CODES, problemType } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { GitBodyTooLargeError, isSmartHttpPath, serveGitHttp } from '@slipway/git';
import { GitAccessService, type GitService } from '@slipway/projects';
import { GitHooks, PRE_RECEIVE_PATH } from './git-hooks';

const GIT_CONTENT_TYPES = ['application/x-git-upload-pack-request', 'application/x-git-receive-pack-request'];

/**
 * `/git/<org>/<project>.git/…`: git's smart-HTTP protocol, served by `git http-backend`.
 * Authentication is HTTP Basic with an API token as the password; a 401 carries
 * `WWW-Authenticate` so git prompts for credentials.
 */
@Injectable()
export class GitHttpRoute {
  private readonly logger = new Logger('git');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly access: GitAccessService,
    private readonly hooks: GitHooks,
  ) {}

  register(fastify: FastifyInstance): void {
    // Pack bodies stream straight to git, never parsed or buffered; the size limit is ours.
    fastify.addContentTypeParser(GIT_CONTENT_TYPES, (_req, payload, done) => done(null, payload));
    fastify.route({ method: ['GET', 'POST'], url: '/git/:org/:repo/*', handler: (req, reply) => this.handle(req, reply) });
    fastify.post(PRE_RECEIVE_PATH, (req, reply) => this.hooks.preReceive(req, reply));
  }

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { org, repo, '*': rest } = req.params as { org: string; repo: string; '*': string };
    const suffix = `/${rest}`;
    const service = this.serviceOf(suffix, req.query as Record<string, string>);
    if (!repo.endsWith('.git') || !isSmartHttpPath(suffix) || !service) return this.problem(reply, new AppError('ROUTE_NOT_FOUND', 'Only git smart-HTTP requests are served here.'));
    try {
      const access = await this.access.authorize({ token: basicPassword(req.headers.authorization), orgSlug: org, projectSlug: repo.slice(0, -4), service, ip: req.ip ?? null });
      const res = await serveGitHttp({
        repositoryPath: access.repositoryPath,
        pathSuffix: suffix,
        method: req.method,
        query: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
        contentType: req.headers['content-type'],
        contentEncoding: req.headers['content-encoding'],
        body: req.method === 'POST' ? (req.body as Readable) : null,
        remoteUser: access.userEmail,
        remoteAddr: req.ip ?? '',
        maxBodyBytes: this.config.PUSH_MAX_BYTES,
        env: service === 'receive-pack' ? this.hooks.environmentFor(access) : undefined,
      });
      void reply.status(res.status).headers({ ...res.headers, 'cache-control': 'no-cache' });
      return reply.send(res.body);
    } catch (err) {
      if (err instanceof GitBodyTooLargeError) {
        // Stop the upload: answer, then close the connection instead of reading the rest.
        void reply.header('connection', 'close');
        reply.raw.once('finish', () => req.raw.destroy());
        return this.problem(reply, new AppError('PAYLOAD_TOO_LARGE', `${err.message} Raise PUSH_MAX_BYTES or push less at once.`));
      }
      if (err instanceof AppError) return this.problem(reply, err);
      this.logger.error(`git ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}`);
      return this.problem(reply, new AppError('INTERNAL'));
    }
  }

  private serviceOf(suffix: string, query: Record<string, string>): GitService | null {
    const name = suffix === '/info/refs' ? query.service : suffix.slice(1);
    return name === 'git-upload-pack' ? 'upload-pack' : name === 'git-receive-pack' ? 'receive-pack' : null;
  }

  /** git prints the body of an error answer to the user, so it is plain text, not JSON. */
  private problem(reply: FastifyReply, err: AppError): FastifyReply {
    const status = ERROR_CODES[err.code].status;
    if (status === 401) void reply.header('www-authenticate', 'Basic realm="Slipway", charset="UTF-8"');
    return reply
      .status(status)
      .header('content-type', 'text/plain; charset=utf-8')
      .header('x-slipway-error', err.code)
      .header('link', `<${problemType(err.code)}>; rel="type"`)
      .send(`${err.message}\n`);
  }
}

/** The password of an HTTP Basic `Authorization` header (git sends the token there). */
export function basicPassword(header: string | undefined): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i >= 0 && decoded.length > i + 1 ? decoded.slice(i + 1) : null;
}
