import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { AuditService } from '@slipway/audit';
import { CONFIG, type Config } from '@slipway/config';
import {
  isReservedHostLabel,
  platformHostsOf,
  type ApiListingDto,
  type createApiListingInputSchema,
  type CreatedApiListingDto,
  type OrgActor,
  type RotatedEdgeSecretDto,
  type TenantScope,
  type updateApiListingInputSchema,
} from '@slipway/contracts';
import { Envelope } from '@slipway/crypto';
import { isUniqueViolation, type Tx } from '@slipway/db';
import { RouteTable, listingEdgeSecretAad } from '@slipway/deployments';
import { AppError, notFound } from '@slipway/errors';
import { EdgeRecords } from '../edge-records/edge-records.service';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { toApiListingDto } from './listing.mapper';
import { ListingUrls } from './listing-urls';
import { ListingsRepository, type ListingRow } from './listings.repository';

/** The secret the edge sends as `slipway-proxy-secret`: 32 random bytes, base64url (43 characters). */
const newEdgeSecret = (): string => randomBytes(32).toString('base64url');

/**
 * A publisher's listings. A listing is created as a DRAFT; publishing needs a live release and
 * puts `<slug>.<API_DOMAIN>` in the edge's route table; unpublishing archives it (the host
 * leaves the table, no new subscriptions; existing subscriptions and invoices stay).
 */
@Injectable()
export class ListingsService {
  private readonly logger = new Logger('marketplace');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ListingsRepository) private readonly repository: ListingsRepository,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(Envelope) private readonly envelope: Envelope,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(ListingUrls) private readonly urls: ListingUrls,
    @Inject(RouteTable) private readonly routes: RouteTable,
    @Inject(EdgeRecords) private readonly records: EdgeRecords,
  ) {}

  async create(actor: OrgActor, input: z.output<typeof createApiListingInputSchema>): Promise<CreatedApiListingDto> {
    if (isReservedHostLabel(input.slug, platformHostsOf(this.config)))
      throw new AppError('API_SLUG_RESERVED', `"${input.slug}" is reserved: pick another slug.`, [{ path: 'slug', message: 'Reserved.' }]);
    const environment = await this.repository.findEnvironment(actor, input.project, input.environment);
    if (!environment) throw notFound(`Environment "${input.environment}" of project "${input.project}"`);
    const secret = newEdgeSecret();
    const row = await this.repository
      .transaction(async (tx) => {
        const created = await this.repository.create(
          actor,
          {
            projectId: environment.projectId,
            environmentId: environment.id,
            slug: input.slug,
            name: input.name,
            summary: input.summary,
            category: input.category,
            visibility: input.visibility,
            termsUrl: input.termsUrl ?? null,
            openApiPath: input.openApiPath ?? null,
            operations: input.operations,
            billServerErrors: input.billServerErrors,
            // Sealed with the row's id as AAD, so it is written once the id exists (same transaction).
            sealedEdgeSecret: '',
            createdById: actor.userId,
          },
          tx,
        );
        const sealed = this.envelope.seal(secret, listingEdgeSecretAad(created.id));
        const listing = await this.repository.update(actor, created.id, { sealedEdgeSecret: sealed }, tx);
        await this.record(actor, 'api.listing_created', listing, tx, { project: input.project, environment: input.environment });
        return listing;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new AppError('API_SLUG_TAKEN', `The API slug "${input.slug}" is already taken: pick another one.`, [{ path: 'slug', message: 'Already taken.' }]);
        throw err;
      });
    return { ...(await this.toDto(actor, row)), edgeSecret: secret };
  }

  async list(scope: TenantScope): Promise<ApiListingDto[]> {
    const rows = await this.repository.list(scope);
    const names = await this.repository.environmentNames(scope, rows.map((r) => r.environmentId));
    return rows.map((r) => toApiListingDto(r, names.get(r.environmentId), this.urls.baseUrl(r.slug)));
  }

  async get(scope: TenantScope, slug: string): Promise<ApiListingDto> {
    return this.toDto(scope, await this.require(scope, slug));
  }

  /** The listing of the organization, or 404 (another organization's listing is not found either). */
  async require(scope: TenantScope, slug: string, tx?: Tx): Promise<ListingRow> {
    const row = await this.repository.findBySlug(scope, slug, tx);
    if (!row) throw notFound(`API "${slug}"`);
    return row;
  }

  async update(actor: OrgActor, slug: string, input: z.output<typeof updateApiListingInputSchema>): Promise<ApiListingDto> {
    const { row, routed } = await this.repository.transaction(async (tx) => {
      const listing = await this.require(actor, slug, tx);
      const updated = await this.repository.update(actor, listing.id, input, tx);
      return { row: updated, routed: updated.status === 'PUBLISHED' && (input.operations !== undefined || input.billServerErrors !== undefined) };
    });
    // The edge meters by the operations on the route: a change there republishes the table.
    if (routed) await this.routes.publish();
    return this.toDto(actor, row);
  }

  /** Publishing twice republishes the route table (a retry after a failed publish). */
  async publish(actor: OrgActor, slug: string): Promise<ApiListingDto> {
    const row = await this.repository.transaction(async (tx) => {
      const listing = await this.require(actor, slug, tx);
      await this.repository.lock(actor, listing.id, tx);
      if (!(await this.repository.liveReleaseId(actor, listing.environmentId, tx)))
        throw new AppError('API_NOT_DEPLOYED', `The environment of "${slug}" has no live release (or was deleted): deploy it, then publish.`);
      if (listing.status === 'PUBLISHED') return listing;
      const published = await this.repository.update(actor, listing.id, { status: 'PUBLISHED', publishedAt: new Date() }, tx);
      await this.record(actor, 'api.listing_published', published, tx);
      return published;
    });
    await this.routes.publish();
    return this.toDto(actor, row);
  }

  async unpublish(actor: OrgActor, slug: string): Promise<ApiListingDto> {
    const { row, changed } = await this.repository.transaction(async (tx) => {
      const listing = await this.require(actor, slug, tx);
      await this.repository.lock(actor, listing.id, tx);
      if (listing.status === 'ARCHIVED') return { row: listing, changed: false };
      const archived = await this.repository.update(actor, listing.id, { status: 'ARCHIVED' }, tx);
      await this.record(actor, 'api.listing_unpublished', archived, tx);
      return { row: archived, changed: true };
    });
    if (changed) await this.routes.publish();
    return this.toDto(actor, row);
  }

  async rotateSecret(actor: OrgActor, slug: string): Promise<RotatedEdgeSecretDto> {
    const secret = newEdgeSecret();
    const row = await this.repository.transaction(async (tx) => {
      const listing = await this.require(actor, slug, tx);
      const updated = await this.repository.update(actor, listing.id, { sealedEdgeSecret: this.envelope.seal(secret, listingEdgeSecretAad(listing.id)) }, tx);
      await this.record(actor, 'api.secret_rotated', updated, tx);
      return updated;
    });
    if (row.status === 'PUBLISHED') await this.routes.publish();
    return { edgeSecret: secret };
  }

  /**
   * A deleted project's listings are archived and their subscriptions canceled (invoices and
   * usage stay: no foreign key to the project). Run by the teardown job once the deletion has
   * committed; idempotent. Returns how many listings it archived.
   */
  async archiveProject(scope: TenantScope, projectId: string): Promise<number> {
    if (await this.repository.projectExists(scope, projectId)) return 0;
    const { listings, canceled } = await this.repository.transaction(async (tx) => {
      const rows = await this.repository.listOfProject(scope, projectId, tx);
      const ids: string[] = [];
      for (const listing of rows) {
        await this.repository.update(scope, listing.id, { status: 'ARCHIVED' }, tx);
        ids.push(...(await this.subscriptions.cancelAllOfListing(listing.id, new Date(), tx)));
        await this.audit.record({ organizationId: scope.organizationId, action: 'api.listing_archived', target: `api:${listing.slug}`, metadata: { projectId, canceledSubscriptions: ids.length } }, tx);
      }
      return { listings: rows.length, canceled: ids };
    });
    for (const id of canceled) await this.records.refreshSubscription(id);
    if (listings > 0) this.logger.log(`project ${projectId} deleted: archived ${listings} API listings, canceled ${canceled.length} subscriptions`);
    return listings;
  }

  private async toDto(scope: TenantScope, row: ListingRow): Promise<ApiListingDto> {
    const names = await this.repository.environmentNames(scope, [row.environmentId]);
    return toApiListingDto(row, names.get(row.environmentId), this.urls.baseUrl(row.slug));
  }

  private async record(actor: OrgActor, action: 'api.listing_created' | 'api.listing_published' | 'api.listing_unpublished' | 'api.secret_rotated', listing: ListingRow, tx: Tx, metadata: Record<string, unknown> = {}): Promise<void> {
    await this.audit.record({ organizationId: actor.organizationId, actor, action, target: `api:${listing.slug}`, metadata }, tx);
  }
}
