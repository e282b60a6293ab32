import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { appHost, edgeUrl } from '@slipway/contracts';

/** Where consumers call a listing: `http://<slug>.<API_DOMAIN>:<EDGE_PORT>` (no port on 80). */
@Injectable()
export class ListingUrls {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  host(slug: string): string {
    return appHost(slug, this.config.API_DOMAIN);
  }

  baseUrl(slug: string): string {
    return edgeUrl(this.host(slug), this.config.EDGE_PORT);
  }
}
