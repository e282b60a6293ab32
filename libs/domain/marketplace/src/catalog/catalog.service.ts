import { Inject, Injectable } from '@nestjs/common';
import { apiCategorySchema, type Actor, type CatalogEntryDto, type CatalogListingDto, type CatalogPageDto, type CatalogQuery } from '@slipway/contracts';
import { notFound } from '@slipway/errors';
import { operationsOf } from '../listings/listing.mapper';
import { ListingUrls } from '../listings/listing-urls';
import { toApiPlanDto } from '../plans/plan.mapper';
import { CatalogRepository, type CatalogRow } from './catalog.repository';

/**
 * The public catalog, browsable without an account. The list shows PUBLISHED + PUBLIC
 * listings; a listing's page also opens for UNLISTED ones (by their slug), and for PRIVATE ones
 * only to a signed-in member of the publisher. Anything else is "not found", whatever exists.
 */
@Injectable()
export class CatalogService {
  constructor(
    @Inject(CatalogRepository) private readonly repository: CatalogRepository,
    @Inject(ListingUrls) private readonly urls: ListingUrls,
  ) {}

  async search(query: CatalogQuery): Promise<CatalogPageDto> {
    const { rows, total } = await this.repository.search({ q: query.q, category: query.category, skip: (query.page - 1) * query.pageSize, take: query.pageSize });
    const publishers = await this.repository.publishers(rows.map((r) => r.organizationId));
    return { items: rows.map((r) => this.entry(r, publishers.get(r.organizationId))), total, page: query.page, pageSize: query.pageSize };
  }

  async listing(slug: string, viewer: Actor | null): Promise<CatalogListingDto> {
    const row = await this.repository.publishedBySlug(slug);
    if (!row || (row.visibility === 'PRIVATE' && !(viewer && (await this.repository.isMember(viewer.userId, row.organizationId))))) throw notFound(`API "${slug}"`);
    const [publishers, plans, openApi] = await Promise.all([this.repository.publishers([row.organizationId]), this.repository.openPlans(row.id), this.repository.newestDocument(row.id)]);
    return {
      ...this.entry(row, publishers.get(row.organizationId)),
      visibility: row.visibility,
      termsUrl: row.termsUrl,
      operations: operationsOf(row),
      plans: plans.map(toApiPlanDto),
      openApi: (openApi as Record<string, unknown> | null) ?? null,
    };
  }

  private entry(r: CatalogRow, publisher: { slug: string; name: string } | undefined): CatalogEntryDto {
    return {
      slug: r.slug,
      name: r.name,
      summary: r.summary,
      category: apiCategorySchema.catch('other').parse(r.category),
      publisher: publisher ?? { slug: '', name: '' },
      baseUrl: this.urls.baseUrl(r.slug),
      publishedAt: r.publishedAt?.toISOString() ?? null,
    };
  }
}
