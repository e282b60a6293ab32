import { Inject, Injectable, Logger } from '@nestjs/common';
import { OPENAPI_MAX_BYTES, type ApiSpecDto, type ApiSpecQuery, type OrgActor, type TenantScope, type UploadApiSpecInput } from '@slipway/contracts';
import type { LiveReleaseEvent, ReleaseLiveHook } from '@slipway/deployments';
import { notFound } from '@slipway/errors';
import { ListingsService } from '../listings/listings.service';
import { fetchDocument, type FetchLimits } from './fetch-document';
import { parseOpenApiDocument } from './openapi-document';
import { SpecsRepository, type SpecRow } from './specs.repository';

/** A deploy waits at most this long for the app's document. */
export const SPEC_FETCH_LIMITS: FetchLimits = { timeoutMs: 5_000, maxBytes: OPENAPI_MAX_BYTES };

export const toApiSpecDto = (row: SpecRow): ApiSpecDto => ({
  id: row.id,
  source: row.source,
  releaseId: row.releaseId,
  sha256: row.sha256,
  createdAt: row.createdAt.toISOString(),
  document: row.document as Record<string, unknown>,
});

/**
 * OpenAPI documents of a listing, versioned: one row per distinct document (by the hash of its
 * canonical JSON), linked to the release it was fetched from. Uploaded, or fetched from the app
 * at `openApiPath` after each successful deploy of the listing's environment.
 */
@Injectable()
export class SpecsService implements ReleaseLiveHook {
  private readonly logger = new Logger('marketplace');
  /** Replaced in tests. */
  fetchLimits: FetchLimits = SPEC_FETCH_LIMITS;

  constructor(
    @Inject(SpecsRepository) private readonly repository: SpecsRepository,
    @Inject(ListingsService) private readonly listings: ListingsService,
  ) {}

  async upload(actor: OrgActor, slug: string, input: UploadApiSpecInput): Promise<ApiSpecDto> {
    const listing = await this.listings.require(actor, slug);
    const { document, sha256 } = parseOpenApiDocument(input.document);
    return toApiSpecDto(await this.repository.store(listing.id, { source: 'UPLOAD', releaseId: null, document: document as never, sha256 }));
  }

  async get(scope: TenantScope, slug: string, query: ApiSpecQuery): Promise<ApiSpecDto> {
    const listing = await this.listings.require(scope, slug);
    const row = query.release ? await this.repository.ofRelease(listing.id, query.release) : await this.repository.newest(listing.id);
    if (!row) throw notFound(query.release ? `An OpenAPI document of release ${query.release}` : `An OpenAPI document of "${slug}"`);
    return toApiSpecDto(row);
  }

  /**
   * After a deploy: each listing of the environment with an `openApiPath` fetches its document
   * from a replica of the new release. A failure is logged (the previous document stays current)
   * and never fails the deployment.
   */
  async releaseLive(scope: TenantScope, event: LiveReleaseEvent): Promise<void> {
    const upstream = event.upstreams[0];
    if (!upstream) return;
    for (const listing of await this.repository.listingsFetchingFrom(scope, event.environmentId)) {
      const url = `http://${upstream.host}:${upstream.port}${listing.openApiPath}`;
      try {
        const { document, sha256 } = parseOpenApiDocument(await fetchDocument(url, this.fetchLimits));
        await this.repository.store(listing.id, { source: 'APP', releaseId: event.releaseId, document: document as never, sha256 });
      } catch (err) {
        this.logger.warn(`API ${listing.slug}: no OpenAPI document from release ${event.releaseId} at ${listing.openApiPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
