'use client';

import { useState } from 'react';
import { snippet, SNIPPET_LANGUAGES, type SnippetCall, type SnippetLanguage } from '../../lib/marketplace/snippets';
import { CopyButton } from '../ui/copy-button';
import { Segmented } from '../observability/panel';

/** The same call in curl, JavaScript and Python, with the visitor's key when the console holds one. */
export function SnippetsPanel({ call, keyNote }: { call: SnippetCall; keyNote: string }) {
  const [language, setLanguage] = useState<SnippetLanguage>('curl');
  const text = snippet(language, call);
  const label = `${SNIPPET_LANGUAGES.find((l) => l.value === language)!.label} snippet`;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Segmented label="Snippet language" options={SNIPPET_LANGUAGES} value={language} onChange={setLanguage} />
        <CopyButton value={text} label={`Copy ${label.toLowerCase()}`} />
      </div>
      <pre aria-label={label} className="overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs leading-relaxed text-zinc-100">
        {text}
      </pre>
      <p className="text-xs text-zinc-500">{keyNote}</p>
    </div>
  );
}
