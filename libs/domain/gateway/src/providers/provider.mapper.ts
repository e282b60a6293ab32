import { MOCK_PROVIDER, MOCK_PROVIDER_LABEL, type ProviderDto } from '@slipway/contracts';
import type { ProviderRow } from './providers.repository';

export const toProviderDto = (p: ProviderRow): ProviderDto => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  baseUrl: p.baseUrl,
  credentialHint: p.credentialHint,
  builtIn: false,
  label: null,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

/** The built-in mock provider as the console lists it: read-only, always there. */
export const mockProviderDto = (baseUrl: string): ProviderDto => ({
  id: null,
  name: MOCK_PROVIDER,
  kind: 'MOCK',
  baseUrl,
  credentialHint: null,
  builtIn: true,
  label: MOCK_PROVIDER_LABEL,
  createdAt: null,
  updatedAt: null,
});
