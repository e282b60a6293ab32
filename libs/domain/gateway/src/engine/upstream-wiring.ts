import type { Provider } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { UpstreamAddressPolicy, UpstreamClient, dnsServersResolver, systemResolver } from '@slipway/ai-providers';

export const UPSTREAM_CLIENT = Symbol('UPSTREAM_CLIENT');
export const UPSTREAM_ADDRESS_POLICY = Symbol('UPSTREAM_ADDRESS_POLICY');

/** What bounds the bytes read from a provider (GATEWAY_UPSTREAM_MAX_BYTES, GATEWAY_UPSTREAM_MAX_EVENT_BYTES). */
export interface UpstreamLimits {
  /** A non-streamed answer. */
  maxAnswerBytes: number;
  /** One event of a stream, or its unfinished line. */
  maxEventBytes: number;
}

export const upstreamLimitsOf = (
  config: Pick<Config, 'GATEWAY_UPSTREAM_MAX_BYTES' | 'GATEWAY_UPSTREAM_MAX_EVENT_BYTES'>,
): UpstreamLimits => ({
  maxAnswerBytes: config.GATEWAY_UPSTREAM_MAX_BYTES,
  maxEventBytes: config.GATEWAY_UPSTREAM_MAX_EVENT_BYTES,
});

/**
 * The address policy (which upstreams organizations' providers may reach: checked when a
 * provider is saved and on every new connection) and the pooled client that obeys it.
 */
export const upstreamProviders: Provider[] = [
  {
    provide: UPSTREAM_ADDRESS_POLICY,
    inject: [CONFIG],
    useFactory: (config: Config) =>
      new UpstreamAddressPolicy({
        allow: config.GATEWAY_UPSTREAM_ALLOW,
        resolve: config.GATEWAY_UPSTREAM_DNS.length > 0 ? dnsServersResolver(config.GATEWAY_UPSTREAM_DNS) : systemResolver,
      }),
  },
  {
    provide: UPSTREAM_CLIENT,
    inject: [CONFIG, UPSTREAM_ADDRESS_POLICY],
    useFactory: (config: Config, policy: UpstreamAddressPolicy) =>
      new UpstreamClient({ policy, connectionsPerOrigin: config.GATEWAY_UPSTREAM_CONNECTIONS }),
  },
];
