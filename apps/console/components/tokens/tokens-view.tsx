'use client';

import type { CreatedTokenDto } from '@slipway/contracts';
import { useState } from 'react';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { CreateTokenForm } from './create-token-form';
import { CreatedToken } from './created-token';
import { TokenList } from './token-list';

export function TokensView() {
  const tokens = useApiQuery('listTokens', {});
  const invalidate = useInvalidateApi();
  const [created, setCreated] = useState<CreatedTokenDto | null>(null);

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens for the CLI, CI and git push. A token acts as you, limited to its scopes."
      />
      <Section title="Create a token">
        {created ? (
          <CreatedToken token={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateTokenForm
            onCreated={(t) => {
              setCreated(t);
              void invalidate('listTokens');
            }}
          />
        )}
      </Section>
      <Section title="Your tokens">
        <ResourceState query={tokens}>
          {(list) => <TokenList tokens={list} onRevoked={() => void invalidate('listTokens')} />}
        </ResourceState>
      </Section>
    </>
  );
}
