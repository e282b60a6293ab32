import type { Logger } from '@nestjs/common';
import type { GatewayConfig, GatewayKeyScope } from '@slipway/contracts';
import type { Envelope } from '@slipway/crypto';
import { effectiveGatewayConfig, mockProviderRef, validateGatewayConfig } from '../routing';
import { openCredential } from '../providers/provider-sealing';
import type { CallerRecord } from './callers.repository';
import type { GatewayCaller, ProviderTarget } from './gateway-caller';

/** The mock needs no credentials; the gateway still sends something in the key header. */
export const MOCK_API_KEY = 'mock';

/**
 * Turns one looked-up key into the caller the gateway serves: provider keys decrypted, the
 * effective routing chosen (release → organization defaults → built-in).
 */
export function buildCaller(record: CallerRecord, deps: { envelope: Envelope; mockBaseUrl: string; logger: Logger }): GatewayCaller {
  const providers = providerTargets(record, deps);
  const { config, from } = effectiveGatewayConfig({
    release:
      record.releaseId !== null
        ? { id: record.releaseId, number: record.releaseNumber ?? 0, slipwayConfig: { gateway: record.releaseGateway } }
        : null,
    orgDefaults: orgDefaults(record, deps.logger),
    providers,
  });
  return {
    keyId: record.id,
    organizationId: record.organizationId,
    projectId: record.projectId,
    environmentId: record.environmentId,
    scopes: record.scopes as GatewayKeyScope[],
    monthlyBudgetMicros: record.monthlyBudgetMicros === null ? null : Number(record.monthlyBudgetMicros),
    releaseId: record.releaseId,
    config,
    routingFrom: from,
    providers,
  };
}

/** The mock first, then every provider whose key opens; one that does not is left out (logged), so its routes fall back. */
function providerTargets(record: CallerRecord, deps: { envelope: Envelope; mockBaseUrl: string; logger: Logger }): ProviderTarget[] {
  const targets: ProviderTarget[] = [{ ...mockProviderRef(deps.mockBaseUrl), apiKey: MOCK_API_KEY }];
  for (const p of record.providers) {
    try {
      targets.push({ name: p.name, kind: p.kind, baseUrl: p.baseUrl, apiKey: openCredential(deps.envelope, p) });
    } catch (err) {
      deps.logger.error(`gateway: ${err instanceof Error ? err.message : String(err)} Its routes are skipped.`);
    }
  }
  return targets;
}

/** Defaults were validated when saved; if the rules changed since, an invalid copy is ignored rather than trusted. */
function orgDefaults(record: CallerRecord, logger: Logger): GatewayConfig | null {
  if (record.orgDefaults === null || record.orgDefaults === undefined) return null;
  const result = validateGatewayConfig(record.orgDefaults);
  if (result.ok) return result.config;
  logger.warn(
    `gateway: routing defaults of organization ${record.organizationId} no longer validate (${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}); using the built-in routing`,
  );
  return null;
}
