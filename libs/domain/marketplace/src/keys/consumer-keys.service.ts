import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import type { ConsumerKeyDto, CreatedConsumerKeyDto, OrgActor, TenantScope, createConsumerKeyInputSchema, rerollConsumerKeyInputSchema } from '@slipway/contracts';
import { AppError, notFound } from '@slipway/errors';
import type { z } from 'zod';
import { EdgeRecords } from '../edge-records/edge-records.service';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { mintConsumerKey, toConsumerKeyDto } from './consumer-key';
import { ConsumerKeysRepository } from './consumer-keys.repository';

/**
 * Keys of a subscription. A key is shown once; only its SHA-256 is kept. Each committed change
 * rewrites the key's edge record (or deletes it) and announces the change, so a revoked key is
 * refused by every edge as soon as the invalidation arrives.
 */
@Injectable()
export class ConsumerKeysService {
  constructor(
    @Inject(ConsumerKeysRepository) private readonly repository: ConsumerKeysRepository,
    @Inject(SubscriptionsRepository) private readonly subscriptionRows: SubscriptionsRepository,
    @Inject(SubscriptionsService) private readonly subscriptions: SubscriptionsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(EdgeRecords) private readonly records: EdgeRecords,
  ) {}

  async list(scope: TenantScope, subscriptionId: string): Promise<ConsumerKeyDto[]> {
    await this.subscriptions.require(scope, subscriptionId);
    return (await this.repository.list(scope, subscriptionId)).map(toConsumerKeyDto);
  }

  async create(actor: OrgActor, subscriptionId: string, input: z.output<typeof createConsumerKeyInputSchema>): Promise<CreatedConsumerKeyDto> {
    const minted = mintConsumerKey(input.mode);
    const key = await this.subscriptionRows.transaction(async (tx) => {
      await this.subscriptionRows.lock(actor, subscriptionId, tx);
      const subscription = this.subscriptions.open(await this.subscriptions.require(actor, subscriptionId, tx));
      const created = await this.repository.create(actor, { subscriptionId, mode: input.mode === 'live' ? 'LIVE' : 'TEST', name: input.name, prefix: minted.prefix, tokenHash: minted.tokenHash, createdById: actor.userId }, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.key_created', target: `api-key:${created.prefix}…`, metadata: { subscriptionId, api: subscription.listing.slug, mode: input.mode, name: input.name } }, tx);
      return created;
    });
    await this.records.refreshKey(key.id);
    return { ...toConsumerKeyDto(key), key: minted.key };
  }

  /**
   * A new key with the old one's name and mode; the old key keeps working for `overlapSeconds`
   * (its record gets that `expiresAt`), or stops at once with 0.
   */
  async reroll(actor: OrgActor, subscriptionId: string, keyId: string, input: z.output<typeof rerollConsumerKeyInputSchema>): Promise<CreatedConsumerKeyDto> {
    const now = new Date();
    const { old, created, minted } = await this.subscriptionRows.transaction(async (tx) => {
      await this.subscriptionRows.lock(actor, subscriptionId, tx);
      const subscription = this.subscriptions.open(await this.subscriptions.require(actor, subscriptionId, tx));
      const current = await this.repository.find(actor, subscriptionId, keyId, tx);
      if (!current) throw notFound('Key');
      if (current.revokedAt || current.replacedById || (current.expiresAt && current.expiresAt <= now))
        throw new AppError('KEY_REVOKED', `Key ${current.prefix}… is revoked, expired or already rerolled: reroll its replacement or create a new key.`);
      const fresh = mintConsumerKey(current.mode === 'LIVE' ? 'live' : 'test');
      const replacement = await this.repository.create(actor, { subscriptionId, mode: current.mode, name: current.name, prefix: fresh.prefix, tokenHash: fresh.tokenHash, createdById: actor.userId }, tx);
      const overlapEnd = new Date(now.getTime() + input.overlapSeconds * 1000);
      await this.repository.replace(actor, current.id, replacement.id, overlapEnd, tx);
      if (input.overlapSeconds === 0) await this.repository.revoke(actor, current.id, now, tx);
      await this.audit.record(
        { organizationId: actor.organizationId, actor, action: 'api.key_rerolled', target: `api-key:${current.prefix}…`, metadata: { subscriptionId, api: subscription.listing.slug, replacement: `${replacement.prefix}…`, oldKeyWorksUntil: overlapEnd.toISOString() } },
        tx,
      );
      return { old: current, created: replacement, minted: fresh };
    });
    await this.records.refreshKey(created.id);
    await this.records.refreshKey(old.id);
    return { ...toConsumerKeyDto(created), key: minted.key };
  }

  /** Revoking twice is a no-op. */
  async revoke(actor: OrgActor, subscriptionId: string, keyId: string): Promise<void> {
    const revoked = await this.subscriptionRows.transaction(async (tx) => {
      const subscription = await this.subscriptions.require(actor, subscriptionId, tx);
      const key = await this.repository.find(actor, subscriptionId, keyId, tx);
      if (!key) throw notFound('Key');
      if (key.revokedAt) return false;
      await this.repository.revoke(actor, key.id, new Date(), tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.key_revoked', target: `api-key:${key.prefix}…`, metadata: { subscriptionId, api: subscription.listing.slug, name: key.name } }, tx);
      return true;
    });
    if (revoked) await this.records.refreshKey(keyId);
  }
}
