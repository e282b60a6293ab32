import { Redis } from 'ioredis';
import { EDGE_ROUTES_CHANNEL, EDGE_ROUTES_KEY, edgeRouteTableSchema, type EdgeRouteTable } from '@slipway/contracts';

/** The stored table is not JSON or does not match `edgeRouteTableSchema`. */
export class InvalidRouteTableError extends Error {
  constructor(readonly reason: string) {
    super(`invalid edge route table: ${reason}`);
    this.name = 'InvalidRouteTableError';
  }
}

export type PublishResult = { published: true; version: number } | { published: false; currentVersion: number };

// Compare-and-set in one script so two workers can never move the table backwards: a table
// older than the stored one (or the same version with other content) is refused. PUBLISH runs
// inside the script, so an edge that sees the announcement always reads that table or a newer one.
const PUBLISH_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
local v = tonumber(ARGV[2])
if cur then
  local ok, decoded = pcall(cjson.decode, cur)
  if ok and type(decoded) == 'table' and type(decoded.version) == 'number' then
    if decoded.version > v or (decoded.version == v and cur ~= ARGV[1]) then
      return {0, tostring(decoded.version)}
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[2], ARGV[2])
return {1, ARGV[2]}
`;

/**
 * The route table in Redis (`EDGE_ROUTES_KEY`, JSON) and its announcement channel
 * (`EDGE_ROUTES_CHANNEL`, the version as text). Plain class: the worker wraps its Nest
 * `RedisService.client`, the edge gets one from `RouteTableStore.connect`.
 */
export class RouteTableStore {
  constructor(
    readonly client: Redis,
    private readonly ownsClient = false,
  ) {}

  /**
   * A store on its own connection that fails fast while Redis is down (no offline queue).
   * `reconnectCapMs`: the longest wait between reconnect attempts (redisBackoff).
   */
  static connect(redisUrl: string, reconnectCapMs = 5_000): RouteTableStore {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy: (attempt: number) => redisBackoff(attempt, reconnectCapMs) });
    client.on('error', () => undefined); // failures surface through the failing command
    return new RouteTableStore(client, true);
  }

  /** SET the whole table and PUBLISH its version, unless Redis already holds a newer one. */
  async publish(table: EdgeRouteTable): Promise<PublishResult> {
    const parsed = edgeRouteTableSchema.parse(table);
    const res = (await this.client.eval(PUBLISH_SCRIPT, 2, EDGE_ROUTES_KEY, EDGE_ROUTES_CHANNEL, JSON.stringify(parsed), String(parsed.version))) as [number, string];
    return res[0] === 1 ? { published: true, version: parsed.version } : { published: false, currentVersion: Number(res[1]) };
  }

  /** The current table, `null` when none was ever published; throws `InvalidRouteTableError` on a bad one. */
  async load(): Promise<EdgeRouteTable | null> {
    const raw = await this.client.get(EDGE_ROUTES_KEY);
    return raw === null ? null : parseRouteTable(raw);
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.disconnect();
  }
}

/** Parse and validate a serialized table (from Redis or a file snapshot). */
export function parseRouteTable(raw: string): EdgeRouteTable {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new InvalidRouteTableError(`not JSON (${(err as Error).message})`);
  }
  const res = edgeRouteTableSchema.safeParse(json);
  if (!res.success) throw new InvalidRouteTableError(res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return res.data;
}

/** Reconnect delay for ioredis: 100 ms doubling to `capMs` (5 s by default), with jitter so many edges do not stampede. */
export function redisBackoff(attempt: number, capMs = 5_000): number {
  const cap = Math.min(capMs, 100 * 2 ** Math.min(attempt, 6));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}
