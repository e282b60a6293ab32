'use client';

import { buildLogEndEventSchema, buildLogLineEventSchema, routePath, type BuildLogEndEvent } from '@slipway/contracts';
import { useEffect, useRef, useState } from 'react';

interface LogState {
  lines: { seq: number; line: string }[];
  end: BuildLogEndEvent | null;
  connected: boolean;
}

/**
 * Follows a build's log over Server-Sent Events (same-origin through the console's /api
 * forwarding). EventSource reconnects by itself and resumes with Last-Event-ID; the stream
 * is closed once the `end` event arrives.
 */
export function useBuildLog(params: { org: string; project: string; buildId: string }, onEnd?: (end: BuildLogEndEvent) => void): LogState {
  const [state, setState] = useState<LogState>({ lines: [], end: null, connected: false });
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  }, [onEnd]);
  const { org, project, buildId } = params;

  useEffect(() => {
    setState({ lines: [], end: null, connected: false });
    const source = new EventSource(routePath('buildLog', { org, project, buildId }));
    let pending: { seq: number; line: string }[] = [];
    let frame: number | null = null;
    // Many lines can arrive at once (a replay): render them in one batch per frame.
    const flush = () => {
      frame = null;
      const batch = pending;
      pending = [];
      setState((s) => {
        const last = s.lines[s.lines.length - 1]?.seq ?? -1;
        return { ...s, lines: [...s.lines, ...batch.filter((l) => l.seq > last)] };
      });
    };
    source.onopen = () => setState((s) => ({ ...s, connected: true }));
    source.onerror = () => setState((s) => ({ ...s, connected: false }));
    source.addEventListener('line', (e) => {
      const parsed = buildLogLineEventSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (!parsed.success) return;
      pending.push(parsed.data);
      frame ??= requestAnimationFrame(flush);
    });
    source.addEventListener('end', (e) => {
      source.close();
      const parsed = buildLogEndEventSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (frame !== null) cancelAnimationFrame(frame);
      flush();
      if (!parsed.success) return;
      setState((s) => ({ ...s, end: parsed.data, connected: false }));
      onEndRef.current?.(parsed.data);
    });
    return () => {
      source.close();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [org, project, buildId]);

  return state;
}

/** The log itself: monospace, auto-scrolling while the reader is at the bottom. */
export function LogView({ lines, waiting }: { lines: { seq: number; line: string }[]; waiting: boolean }) {
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <pre
      ref={box}
      role="log"
      aria-label="Build log"
      aria-live="polite"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
      className="h-[28rem] overflow-auto rounded-md bg-zinc-950 px-3 py-2.5 font-mono text-xs leading-relaxed whitespace-pre-wrap text-zinc-100"
    >
      {lines.map((l) => (
        <div key={l.seq}>{l.line || ' '}</div>
      ))}
      {waiting ? <div className="animate-pulse text-zinc-500">…</div> : null}
    </pre>
  );
}
