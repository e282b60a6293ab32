import Link from 'next/link';
import { CopyButton, CopyField } from '../ui/copy-button';
import { Notice } from '../ui/alert';
import { Section } from '../ui/layout-bits';

export function PushPanel({ gitRemoteUrl }: { gitRemoteUrl: string }) {
  const commands = `git remote add slipway ${gitRemoteUrl}\ngit push slipway main`;
  return (
    <Section title="Push to deploy" description="Add Slipway as a git remote and push your code.">
      <div className="flex flex-col gap-4">
        <CopyField id="git-remote-url" label="Git remote URL" value={gitRemoteUrl} />
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
        <p className="text-xs text-zinc-600">
          When git asks for a password, use a personal API token with the <code className="rounded bg-zinc-100 px-1">deploy</code> scope —{' '}
          <Link href="/settings/tokens" className="font-medium text-zinc-900 underline">
            create one on the tokens page
          </Link>
          . Any username works.
        </p>
        <Notice tone="info">
          Push-to-deploy arrives in the next release: the repository exists and accepts your token, builds start with that release.
        </Notice>
      </div>
    </Section>
  );
}
