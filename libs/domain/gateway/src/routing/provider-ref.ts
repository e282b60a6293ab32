import { MOCK_PROVIDER, type ProviderKind } from '@slipway/contracts';

/**
 * A provider the caller's organization can use: its configured providers plus the built-in
 * `mock` (kind 'MOCK', both wire formats), which the caller always includes.
 */
export interface ProviderRef {
  name: string;
  kind: ProviderKind | 'MOCK';
  baseUrl: string;
}

/** The built-in mock provider, served at `baseUrl` (from config). */
export function mockProviderRef(baseUrl: string): ProviderRef {
  return { name: MOCK_PROVIDER, kind: 'MOCK', baseUrl };
}
