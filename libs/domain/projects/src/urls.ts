import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';

export const PRODUCTION = 'production';

/** The public addresses users see: git remotes and app URLs. */
@Injectable()
export class ProjectUrls {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  gitRemote(orgSlug: string, projectSlug: string): string {
    return `${this.config.PUBLIC_API_URL.replace(/\/$/, '')}/git/${orgSlug}/${projectSlug}.git`;
  }

  /** `<hostLabel>.<domain>` for production, `<hostLabel>-<env>.<domain>` otherwise. */
  app(hostLabel: string, environmentName: string): string {
    const host = environmentName === PRODUCTION ? hostLabel : `${hostLabel}-${environmentName}`;
    const port = this.config.EDGE_PORT === 80 ? '' : `:${this.config.EDGE_PORT}`;
    return `http://${host}.${this.config.APPS_DOMAIN}${port}`;
  }
}
