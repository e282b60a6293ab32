import { describe, expect, it } from 'vitest';
import { encodeOtlp } from '@slipway/otlp';
import type { OtlpExportRepository } from './otlp-export.repository';
import { tenantKey, type TenantNames } from './otlp-resource';
import { replicaLogRecord, replicaResource, type ReplicaLogLine, type ReplicaLogSource } from './replica-logs';
import { ReplicaLogsReader } from './signal-readers';

const at = new Date('2026-12-07T14:00:00.250Z');
const line = (over: Partial<ReplicaLogLine> = {}): ReplicaLogLine => ({
  projectId: 'p1',
  environmentId: 'e1',
  releaseId: 'r1',
  replica: 'web-r1-a',
  stream: 'stdout',
  level: null,
  at,
  collectedAt: new Date(at.getTime() + 40),
  line: 'GET /health 200',
  ...over,
});

describe('replicaLogRecord', () => {
  it('maps a recognised level to its severity number and text, body and iostream as they are', () => {
    const release = { 'service.name': 'web' };
    expect(replicaLogRecord(line({ level: 'warn', stream: 'stderr', line: 'slow query' }), release)).toMatchObject({
      severityNumber: 13,
      severityText: 'WARN',
      body: 'slow query',
      timeMs: at.getTime(),
      observedMs: at.getTime() + 40,
      attributes: { 'log.iostream': 'stderr' },
    });
    expect(replicaLogRecord(line({ level: 'ERROR' }), release)).toMatchObject({ severityNumber: 17, severityText: 'ERROR' });
    expect(replicaLogRecord(line({ level: 'fatal' }), release).severityNumber).toBe(21);
    expect(replicaLogRecord(line({ level: 'debug' }), release).severityNumber).toBe(5);
  });

  it('leaves the severity unspecified without a level, even on stderr, and keeps an unknown level as text', () => {
    expect(replicaLogRecord(line({ stream: 'stderr' }), {})).toMatchObject({ severityNumber: 0, severityText: undefined });
    expect(replicaLogRecord(line({ level: 'verbose' }), {})).toMatchObject({ severityNumber: 0, severityText: 'VERBOSE' });
  });

  it('puts the replica in the resource as service.instance.id', () => {
    expect(replicaResource({ 'service.name': 'web' }, 'web-r1-a')).toEqual({ 'service.name': 'web', 'service.instance.id': 'web-r1-a' });
  });
});

/** Lines in memory, in storing order; the cursor is the index of the last line returned. */
class MemoryLogSource implements ReplicaLogSource {
  constructor(private readonly lines: ReplicaLogLine[]) {}
  async after(cursor: string, limit: number): Promise<{ lines: ReplicaLogLine[]; cursor: string }> {
    const from = cursor === '' ? 0 : Number(cursor) + 1;
    const lines = this.lines.slice(from, from + limit);
    return { lines, cursor: String(from + lines.length - 1) };
  }
  async cursorAt(time: Date): Promise<string> {
    const i = this.lines.findIndex((l) => l.at >= time);
    return i <= 0 ? '' : String(i - 1);
  }
}

const names: TenantNames = {
  organizationId: 'o1',
  organizationSlug: 'acme',
  projectId: 'p1',
  projectSlug: 'web',
  environmentId: 'e1',
  environmentName: 'production',
  release: { id: 'r1', number: 3, commitSha: 'abc123' },
};
const repo = { tenantNames: async () => new Map([[tenantKey('p1', 'e1', 'r1'), names]]) } as unknown as OtlpExportRepository;

describe('ReplicaLogsReader', () => {
  it('reads a page after the cursor into one resource per replica, and skips lines of deleted releases', async () => {
    const lines = [line(), line({ replica: 'web-r1-b', level: 'error', line: 'boom' }), line({ releaseId: 'gone' }), line({ line: 'second' })];
    const reader = new ReplicaLogsReader(repo, new MemoryLogSource(lines), []);
    const batch = await reader.read('', new Date(at.getTime() + 1000));
    expect(batch).toMatchObject({ records: 4, next: '3' });
    const body = JSON.parse(Buffer.from(encodeOtlp(batch!.batch, 'json')).toString()) as { resourceLogs: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeLogs: Array<{ logRecords: Array<{ body: { stringValue: string } }> }> }> };
    const byReplica = Object.fromEntries(
      body.resourceLogs.map((rl) => [rl.resource.attributes.find((a) => a.key === 'service.instance.id')!.value.stringValue, rl.scopeLogs[0]!.logRecords.map((r) => r.body.stringValue)]),
    );
    expect(byReplica).toEqual({ 'web-r1-a': ['GET /health 200', 'second'], 'web-r1-b': ['boom'] });
    expect(body.resourceLogs[0]!.resource.attributes).toContainEqual({ key: 'service.version', value: { stringValue: 'v3' } });
    expect(await reader.read('3', new Date())).toBeNull();
  });
});
