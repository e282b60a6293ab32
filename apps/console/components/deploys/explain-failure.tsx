'use client';

import { useState } from 'react';
import type { ExplanationDto } from '@slipway/contracts';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Section } from '../ui/layout-bits';

/**
 * "Explain this failure" on a failed build or deployment: asks a model through Slipway's own
 * gateway (billed to the environment as feature `explain-failure`) and shows its answer as
 * plain text, with the model that gave it.
 */
export function ExplainFailure({ what, ask }: { what: 'build' | 'deployment'; ask: () => Promise<ExplanationDto> }) {
  const action = useAction();
  const [answer, setAnswer] = useState<ExplanationDto | null>(null);

  async function explain() {
    const got = await action.run(ask);
    if (got) setAnswer(got);
  }

  return (
    <Section
      title="What went wrong"
      description={`A model reads this ${what}'s ${what === 'build' ? 'log tail' : 'timeline and container output'} and suggests a fix.`}
      actions={
        <Button size="sm" variant={answer ? 'secondary' : 'primary'} onClick={explain} busy={action.busy}>
          {answer ? 'Ask again' : 'Explain this failure'}
        </Button>
      }
    >
      {action.busy ? (
        <p role="status" aria-live="polite" className="text-sm text-zinc-500">
          Asking the model…
        </p>
      ) : null}
      <ErrorAlert>{action.error}</ErrorAlert>
      {answer && !action.busy ? (
        <div>
          <div aria-label="Explanation" className="text-sm whitespace-pre-wrap text-zinc-800">
            {answer.explanation}
          </div>
          <p className="mt-3 text-xs text-zinc-500">
            Answered by <code className="font-mono">{answer.model}</code> via Slipway gateway
            {answer.model.startsWith('mock-')
              ? ' (the built-in mock provider: add a provider in the gateway settings for real answers)'
              : ''}
            .
          </p>
        </div>
      ) : null}
      {!answer && !action.busy && !action.error ? (
        <p className="text-xs text-zinc-500">
          The request goes to the model your gateway routes the alias default to, and counts toward this environment’s usage.
        </p>
      ) : null}
    </Section>
  );
}
