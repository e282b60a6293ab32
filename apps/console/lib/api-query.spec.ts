import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { apiQueryKey, invalidateApi, setApiQueryData } from './api-query';

const drill = (id: string) => ({ id, status: 'PASSED' }) as never;

describe('the console query cache keys', () => {
  it('a local update lands in the entry every panel reading that route and params shares, whatever the order of the params', () => {
    const client = new QueryClient();
    client.setQueryData(apiQueryKey('getProject', { org: 'acme', project: 'web' }), { slug: 'web', environments: [] } as never);
    setApiQueryData(
      client,
      'getProject',
      { project: 'web', org: 'acme' },
      (cur) => cur && { ...cur, environments: [{ name: 'staging' }] as never },
    );
    expect(client.getQueryData(apiQueryKey('getProject', { org: 'acme', project: 'web' }))).toEqual({
      slug: 'web',
      environments: [{ name: 'staging' }],
    });
    // Another project's entry is untouched.
    expect(client.getQueryData(apiQueryKey('getProject', { org: 'acme', project: 'api' }))).toBeUndefined();
  });

  it('the query is part of the key: two pages of one list are two entries', () => {
    const client = new QueryClient();
    setApiQueryData(client, 'listGatewayDrills', { org: 'acme', project: 'web' }, () => [drill('a')], {
      environment: 'production',
      limit: 20,
    });
    expect(
      client.getQueryData(apiQueryKey('listGatewayDrills', { org: 'acme', project: 'web' }, { environment: 'staging', limit: 20 })),
    ).toBeUndefined();
    expect(
      client.getQueryData(apiQueryKey('listGatewayDrills', { org: 'acme', project: 'web' }, { limit: 20, environment: 'production' })),
    ).toEqual([drill('a')]);
  });

  it('invalidating a route marks all its entries stale, whatever their params, and leaves other routes fresh', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } });
    const prod = apiQueryKey('listDomains', { org: 'acme', project: 'web', env: 'production' });
    const staging = apiQueryKey('listDomains', { org: 'acme', project: 'web', env: 'staging' });
    const variables = apiQueryKey('listVariables', { org: 'acme', project: 'web', env: 'production' });
    for (const key of [prod, staging, variables]) client.setQueryData(key, [] as never);

    await invalidateApi(client, 'listDomains');

    const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    expect([stale(prod), stale(staging), stale(variables)]).toEqual([true, true, false]);
  });
});
