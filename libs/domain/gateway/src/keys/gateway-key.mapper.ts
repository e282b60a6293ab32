import { ENVIRONMENT_KEY_LABEL, type GatewayKeyDto, type GatewayKeyScope } from '@slipway/contracts';
import type { GatewayKeyRow } from './gateway-keys.repository';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Micro-USD (the stored unit, exact in integers) from USD. */
export const usdToMicros = (usd: number): bigint => BigInt(Math.round(usd * 1_000_000));

export const toGatewayKeyDto = (k: GatewayKeyRow, environmentName: string | null): GatewayKeyDto => ({
  id: k.id,
  kind: k.kind,
  name: k.name,
  label: k.kind === 'ENVIRONMENT' ? ENVIRONMENT_KEY_LABEL : null,
  prefix: k.prefix,
  environment: environmentName,
  scopes: k.scopes as GatewayKeyScope[],
  monthlyBudgetUsd: k.monthlyBudgetMicros === null ? null : Number(k.monthlyBudgetMicros) / 1_000_000,
  expiresAt: iso(k.expiresAt),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
  createdAt: k.createdAt.toISOString(),
});
