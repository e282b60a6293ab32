// /__mock/* control endpoints, so another process (the failover drill) can drive the mock:
//   GET    /__mock/faults                    → { faults: MockFaultState[] }
//   POST   /__mock/faults  { faults, seed?, append? } or a bare array of rules → replaces (or appends)
//   DELETE /__mock/faults                    → clears
//   GET    /__mock/requests?since=<seq>      → { requests: MockRecordedRequest[] }
//   POST   /__mock/reset                     → clears faults and recorded requests
//   POST   /__mock/config  { latencyMs?, ttftMs?, tokensPerSecond? } → { timing }
//   GET    /__mock/health                    → { ok: true }
import type { ServerResponse } from 'node:http';
import type { FaultTable } from './faults';
import { invalidRule } from './faults';
import { sendJson } from './respond';
import type { MockFaultRule, MockRecordedRequest, MockTiming } from './types';

export interface ControlState {
  faults: FaultTable;
  requests: MockRecordedRequest[];
  timing: MockTiming;
  reset(): void;
}

export function handleControl(method: string, url: URL, text: string, res: ServerResponse, s: ControlState): void {
  const x = { res, onStatus: () => {} };
  const bad = (error: string) => sendJson(x, 400, { error });
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return bad('body is not valid JSON');
    }
  }
  const route = `${method} ${url.pathname}`;
  switch (route) {
    case 'GET /__mock/health':
      return sendJson(x, 200, { ok: true });
    case 'GET /__mock/faults':
      return sendJson(x, 200, { faults: s.faults.list() });
    case 'DELETE /__mock/faults':
      s.faults.set([]);
      return sendJson(x, 200, { faults: [] });
    case 'POST /__mock/faults': {
      const b = (Array.isArray(body) ? { faults: body } : (body ?? {})) as { faults?: unknown; seed?: unknown; append?: unknown };
      if (!Array.isArray(b.faults)) return bad('faults must be an array of rules');
      for (const r of b.faults) {
        const why = invalidRule(r);
        if (why) return bad(why);
      }
      if (b.seed !== undefined && !Number.isInteger(b.seed)) return bad('seed must be an integer');
      const rules = b.faults as MockFaultRule[];
      if (b.append === true) rules.forEach((r) => s.faults.add(r));
      else s.faults.set(rules, b.seed as number | undefined);
      return sendJson(x, 200, { faults: s.faults.list() });
    }
    case 'GET /__mock/requests': {
      const since = Number(url.searchParams.get('since') ?? 0);
      return sendJson(x, 200, { requests: s.requests.filter((r) => r.seq > since) });
    }
    case 'POST /__mock/reset':
      s.faults.set([]);
      s.reset();
      return sendJson(x, 200, { ok: true });
    case 'POST /__mock/config': {
      const t = (body ?? {}) as Record<string, unknown>;
      const patch: Partial<MockTiming> = {};
      for (const k of ['latencyMs', 'ttftMs', 'tokensPerSecond'] as const) {
        if (t[k] === undefined) continue;
        if (typeof t[k] !== 'number' || !(t[k] >= 0)) return bad(`${k} must be a non-negative number`);
        patch[k] = t[k];
      }
      Object.assign(s.timing, patch);
      return sendJson(x, 200, { timing: s.timing });
    }
    default:
      return sendJson(x, 404, { error: `no control endpoint ${route}` });
  }
}
