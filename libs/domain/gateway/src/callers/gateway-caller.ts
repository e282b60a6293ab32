import type { GatewayConfig, GatewayKeyScope } from '@slipway/contracts';
import type { ProviderRef, RoutingSource } from '../routing';

/** A provider the gateway may call for this caller, with its decrypted API key (the mock's is `mock`). */
export interface ProviderTarget extends ProviderRef {
  apiKey: string;
}

/** Everything the gateway needs about the holder of a key, resolved once and cached. */
export interface GatewayCaller {
  keyId: string;
  organizationId: string;
  projectId: string;
  /** Null for a project-wide user key. */
  environmentId: string | null;
  scopes: readonly GatewayKeyScope[];
  monthlyBudgetMicros: number | null;
  /** The environment's live release, whose routing applies; null before the first deploy or for project-wide keys. */
  releaseId: string | null;
  config: GatewayConfig;
  routingFrom: RoutingSource;
  /** The built-in mock first, then the organization's providers. */
  providers: readonly ProviderTarget[];
}

export type GatewayCallerRejection = 'invalid' | 'revoked' | 'expired' | 'environment_deleted';

export type GatewayCallerResolution = { ok: true; caller: GatewayCaller } | { ok: false; reason: GatewayCallerRejection };
