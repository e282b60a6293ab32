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

  /** The app URL of a generated name (an environment's HostReservation host, e.g. `shop--staging`). */
  app(name: string): string {
    return edgeUrl(appHost(name, this.config.APPS_DOMAIN), this.config.EDGE_PORT);
  }
}
