import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { PRODUCTION_ENVIRONMENT, appHost, edgeUrl } from '@slipway/contracts';

export const PRODUCTION = PRODUCTION_ENVIRONMENT;

/** The public addresses users see: git remotes and app URLs. */
@Injectable()
export class ProjectUrls {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  gitRemote(orgSlug: string, projectSlug: string): string {
    return `${this.config.PUBLIC_API_URL.replace(/\/$/, '')}/git/${orgSlug}/${projectSlug}.git`;
  }

  /** The environment's app URL (the host naming rule lives in contracts' appHost). */
  app(hostLabel: string, environmentName: string): string {
    return edgeUrl(appHost(hostLabel, environmentName, this.config.APPS_DOMAIN), this.config.EDGE_PORT);
  }
}
