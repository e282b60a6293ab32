import { Controller, Inject, Param, Req } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { AuthService } from '@slipway/identity';
import { CatalogService } from '@slipway/marketplace';
import type { Actor, CatalogListingDto, CatalogPageDto, CatalogQuery } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { ValidQuery } from '../http/params';
import { sessionCookieOf } from '../http/cookies';
import type { SlipwayRequest } from '../http/request-context';

/** The public catalog: no session needed; a session, when there is one, opens PRIVATE listings of the viewer's organizations. */
@Controller()
export class MarketplaceCatalogController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
  ) {}

  @Route('catalog')
  search(@ValidQuery('catalog') query: CatalogQuery): Promise<CatalogPageDto> {
    return this.catalog.search(query);
  }

  @Route('catalogListing')
  async listing(@Param('slug') slug: string, @Req() req: SlipwayRequest): Promise<CatalogListingDto> {
    return this.catalog.listing(slug, await this.viewer(req));
  }

  /** The signed-in viewer, or null (no cookie, or a session that is expired or unknown: the page is then the public one). */
  private async viewer(req: SlipwayRequest): Promise<Actor | null> {
    const cookie = sessionCookieOf(req, this.config);
    if (!cookie) return null;
    const session = await this.auth.authenticate(cookie).catch(() => null);
    return session ? { userId: session.user.id, email: session.user.email, ip: req.ip ?? null } : null;
  }
}
