import { Inject, Injectable, Logger } from '@nestjs/common';
import type { UpstreamAddressPolicy } from '@slipway/ai-providers';
import { AuditService } from '@slipway/audit';
import { CONFIG, type Config } from '@slipway/config';
import {
  MOCK_PROVIDER,
  PROVIDER_DEFAULT_BASE_URLS,
  createProviderInputSchema,
  updateProviderInputSchema,
  type CreateProviderInput,
  type OrgActor,
  type ProviderDto,
  type TenantScope,
  type UpdateProviderInput,
} from '@slipway/contracts';
import { Envelope } from '@slipway/crypto';
import { isUniqueViolation } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { GatewayInvalidation } from '@slipway/redis';
import { announce } from '../callers/announce';
import { UPSTREAM_ADDRESS_POLICY } from '../engine/upstream-wiring';
import { parseInput } from './parse-input';
import { mockProviderDto, toProviderDto } from './provider.mapper';
import { credentialHint, providerCredentialAad } from './provider-sealing';
import { ProvidersRepository } from './providers.repository';
import { assertPublicBaseUrl } from './vet-base-url';

/**
 * An organization's model providers. API keys are sealed to their row (Envelope, AAD
 * `provider:<id>`) and never leave: DTOs carry the last 4 characters, audit entries none.
 * `mock` is the built-in provider: always listed, never a row, its name reserved.
 * Every change tells the api processes to drop cached callers of the organization.
 * A base URL must point at a public address (or one the operator allowed): checked here, when
 * saved, and again by the upstream client on every connection.
 */
@Injectable()
export class ProvidersService {
  private readonly logger = new Logger('gateway');

  constructor(
    @Inject(ProvidersRepository) private readonly repository: ProvidersRepository,
    @Inject(Envelope) private readonly envelope: Envelope,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(GatewayInvalidation) private readonly invalidation: GatewayInvalidation,
    @Inject(CONFIG) private readonly config: Pick<Config, 'GATEWAY_MOCK_URL'>,
    @Inject(UPSTREAM_ADDRESS_POLICY) private readonly addresses: UpstreamAddressPolicy,
  ) {}

  /** The built-in mock first, then the organization's providers by name. */
  async list(scope: TenantScope): Promise<ProviderDto[]> {
    const rows = await this.repository.list(scope);
    return [mockProviderDto(this.mockBaseUrl), ...rows.map(toProviderDto)];
  }

  async create(actor: OrgActor, raw: CreateProviderInput): Promise<ProviderDto> {
    const input = parseInput(createProviderInputSchema, raw);
    if (input.name === MOCK_PROVIDER)
      throw new AppError('PROVIDER_NAME_RESERVED', `"${MOCK_PROVIDER}" is the built-in mock provider; choose another name.`);
    const baseUrl = input.baseUrl ?? PROVIDER_DEFAULT_BASE_URLS[input.kind];
    if (!baseUrl)
      throw new AppError('VALIDATION_FAILED', 'baseUrl: Give the provider’s base URL.', [
        { path: 'baseUrl', message: 'Give the provider’s base URL.' },
      ]);
    if (input.baseUrl !== undefined) await assertPublicBaseUrl(this.addresses, input.baseUrl);
    try {
      const row = await this.repository.transaction(async (tx) => {
        if (await this.repository.findByName(actor, input.name, tx)) throw taken(input.name);
        const created = await this.repository.create(actor, { name: input.name, kind: input.kind, baseUrl, createdById: actor.userId }, tx);
        const sealed = this.envelope.seal(input.apiKey, providerCredentialAad(created.id));
        const updated = await this.repository.update(
          actor,
          created.id,
          { sealedCredential: sealed, credentialHint: credentialHint(input.apiKey) },
          tx,
        );
        await this.audit.record(
          {
            organizationId: actor.organizationId,
            actor,
            action: 'gateway.provider_created',
            target: `provider:${input.name}`,
            metadata: { name: input.name, kind: input.kind, baseUrl },
          },
          tx,
        );
        return updated;
      });
      await announce(this.invalidation, { organizationId: actor.organizationId }, this.logger);
      return toProviderDto(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw taken(input.name);
      throw err;
    }
  }

  async update(actor: OrgActor, name: string, raw: UpdateProviderInput): Promise<ProviderDto> {
    const input = parseInput(updateProviderInputSchema, raw);
    this.refuseMock(name);
    if (input.baseUrl !== undefined) await assertPublicBaseUrl(this.addresses, input.baseUrl);
    const row = await this.repository.transaction(async (tx) => {
      const existing = await this.repository.findByName(actor, name, tx);
      if (!existing) throw notFound(`Provider "${name}"`);
      const updated = await this.repository.update(
        actor,
        existing.id,
        {
          ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
          ...(input.apiKey !== undefined
            ? {
                sealedCredential: this.envelope.seal(input.apiKey, providerCredentialAad(existing.id)),
                credentialHint: credentialHint(input.apiKey),
              }
            : {}),
        },
        tx,
      );
      await this.audit.record(
        {
          organizationId: actor.organizationId,
          actor,
          action: 'gateway.provider_updated',
          target: `provider:${name}`,
          metadata: { name, ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}), apiKeyChanged: input.apiKey !== undefined },
        },
        tx,
      );
      return updated;
    });
    await announce(this.invalidation, { organizationId: actor.organizationId }, this.logger);
    return toProviderDto(row);
  }

  /** Routes that still name it fail over to their next route (or answer that the provider is unknown). */
  async remove(actor: OrgActor, name: string): Promise<void> {
    this.refuseMock(name);
    await this.repository.transaction(async (tx) => {
      const existing = await this.repository.findByName(actor, name, tx);
      if (!existing) throw notFound(`Provider "${name}"`);
      await this.repository.delete(actor, existing.id, tx);
      await this.audit.record(
        {
          organizationId: actor.organizationId,
          actor,
          action: 'gateway.provider_deleted',
          target: `provider:${name}`,
          metadata: { name, kind: existing.kind },
        },
        tx,
      );
    });
    await announce(this.invalidation, { organizationId: actor.organizationId }, this.logger);
  }

  private get mockBaseUrl(): string {
    return this.config.GATEWAY_MOCK_URL.replace(/\/+$/, '');
  }

  private refuseMock(name: string): void {
    if (name === MOCK_PROVIDER)
      throw new AppError('PROVIDER_NAME_RESERVED', `"${MOCK_PROVIDER}" is the built-in mock provider; it cannot be changed or removed.`);
  }
}

const taken = (name: string) => new AppError('PROVIDER_NAME_TAKEN', `This organization already has a provider named "${name}".`);
