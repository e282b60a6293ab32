'use client';

import type { CreatedTokenDto } from '@slipway/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '../../lib/api';
import { useInvalidateApi } from '../../lib/api-query';
import { pushCommands, remoteWithToken } from '../../lib/push-commands';
import { useAction } from '../../lib/use-action';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { CopyButton, CopyField } from '../ui/copy-button';
import { Section } from '../ui/layout-bits';

/**
 * How to push: the remote, and a one-click personal token with the `deploy` scope whose
 * commands the user can paste as they are (the token is the remote's password).
 */
export function PushPanel({ project, gitRemoteUrl }: { project: string; gitRemoteUrl: string }) {
  const action = useAction();
  const invalidate = useInvalidateApi();
  const [token, setToken] = useState<CreatedTokenDto | null>(null);
  const remote = token ? remoteWithToken(gitRemoteUrl, token.token) : gitRemoteUrl;
  const commands = pushCommands(remote);

  async function createToken() {
    const created = await action.run(() => api('createToken', { body: { name: `Deploy ${project}`, scopes: ['deploy'], expiresInDays: 90 } }));
    if (!created) return;
    setToken(created);
    void invalidate('listTokens');
  }

  return (
    <Section
      title="Push to deploy"
      description="Add Slipway as a git remote and push your code: it builds, deploys with zero downtime and answers at the environment's URL."
      actions={
        token ? null : (
          <Button size="sm" variant="primary" onClick={createToken} busy={action.busy}>
            Create a deploy token
          </Button>
        )
      }
    >
      <div className="flex flex-col gap-4">
        <ErrorAlert>{action.error}</ErrorAlert>
        <CopyField id="git-remote-url" label="Git remote URL" value={gitRemoteUrl} />
        {token ? (
          <>
            <Notice tone="warning">
              Copy the deploy token now: it is shown only once. It expires in 90 days; revoke it on the{' '}
              <Link href="/settings/tokens" className="font-medium underline">
                tokens page
              </Link>
              .
            </Notice>
            <CopyField id="deploy-token" label="Deploy token" value={token.token} />
          </>
        ) : null}
        <div>
          <div className="mb-1 flex items-center justify-between">
            <span className="text-xs font-medium text-zinc-700">Commands</span>
            <CopyButton value={commands} label="Copy commands" />
          </div>
          <pre
            aria-label="Push commands"
            className="overflow-x-auto rounded-md bg-zinc-900 px-3 py-2.5 font-mono text-xs leading-relaxed text-zinc-100"
          >
            <code>{commands}</code>
          </pre>
        </div>
        {token ? null : (
          <p className="text-xs text-zinc-600">
            When git asks for a password, use a personal API token with the <code className="rounded bg-zinc-100 px-1">deploy</code> scope: create one
            here in one click, or on the{' '}
            <Link href="/settings/tokens" className="font-medium text-zinc-900 underline">
              tokens page
            </Link>
            . Any username works.
          </p>
        )}
      </div>
    </Section>
  );
}
