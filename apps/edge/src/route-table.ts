import { edgeRouteTableSchema, type EdgeRoute, type EdgeRouteTable, type EdgeUpstream } from '@slipway/contracts';
import { routeTableUpstreams, upstreamKey } from '@slipway/redis';

/** One route as the hot path sees it: its upstreams and a round-robin cursor. */
export interface LiveRoute {
  readonly route: EdgeRoute;
  readonly upstreams: readonly EdgeUpstream[];
  cursor: number;
}

interface Snapshot {
  readonly table: EdgeRouteTable | null;
  readonly byHost: ReadonlyMap<string, LiveRoute>;
  readonly upstreams: ReadonlySet<string>;
}

/** The upstream `offset` places after `index` (wrapping): a retry takes the next replica. */
export function upstreamAt(live: LiveRoute, index: number, offset = 0): EdgeUpstream {
  return live.upstreams[(index + offset) % live.upstreams.length]!;
}

export type ApplyResult =
  | { status: 'applied'; version: number; removedUpstreams: string[] }
  | { status: 'stale'; version: number; currentVersion: number }
  | { status: 'invalid'; reason: string };

export type RouteTableListener = (table: EdgeRouteTable, removedUpstreams: readonly string[]) => void;

const EMPTY: Snapshot = { table: null, byHost: new Map(), upstreams: new Set() };

function compile(table: EdgeRouteTable): Snapshot {
  const byHost = new Map<string, LiveRoute>();
  for (const route of table.routes) {
    // Random start so a burst of table swaps does not always favour the first replica.
    const live: LiveRoute = { route, upstreams: route.upstreams, cursor: Math.floor(Math.random() * route.upstreams.length) };
    for (const host of route.hosts) {
      const key = host.toLowerCase();
      if (!byHost.has(key)) byHost.set(key, live); // a host claimed twice: the first route wins
    }
  }
  return { table, byHost, upstreams: routeTableUpstreams(table) };
}

/**
 * The edge's current route table. Everything the hot path reads hangs off one immutable
 * snapshot, so a new table takes effect with a single reference swap: a request sees either
 * the old table or the new one, never a mix. Older versions are ignored, invalid tables are
 * rejected and the current one stays.
 */
export class RouteTable {
  private snap: Snapshot = EMPTY;
  private readonly listeners: RouteTableListener[] = [];

  /** Validate and install `input` if it is newer than the current table. */
  apply(input: unknown): ApplyResult {
    const parsed = edgeRouteTableSchema.safeParse(input);
    if (!parsed.success) {
      return { status: 'invalid', reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
    }
    const table = parsed.data;
    if (this.snap.table && table.version <= this.snap.table.version) {
      return { status: 'stale', version: table.version, currentVersion: this.snap.table.version };
    }
    const next = compile(table);
    const removed = [...this.snap.upstreams].filter((k) => !next.upstreams.has(k));
    this.snap = next; // the swap
    for (const listener of this.listeners) listener(table, removed);
    return { status: 'applied', version: table.version, removedUpstreams: removed };
  }

  lookup(host: string): LiveRoute | undefined {
    return this.snap.byHost.get(host);
  }

  /** The next upstream index of a route in round-robin order (see `upstreamAt`). */
  nextIndex(live: LiveRoute): number {
    const i = live.cursor % live.upstreams.length;
    live.cursor = i + 1;
    return i;
  }

  /** The current version, -1 before any table. */
  get version(): number {
    return this.snap.table?.version ?? -1;
  }

  get table(): EdgeRouteTable | null {
    return this.snap.table;
  }

  get routeCount(): number {
    return this.snap.table?.routes.length ?? 0;
  }

  /** `host:port` of every upstream the current table sends new requests to. */
  liveUpstreams(): ReadonlySet<string> {
    return this.snap.upstreams;
  }

  isLive(upstream: Pick<EdgeUpstream, 'host' | 'port'>): boolean {
    return this.snap.upstreams.has(upstreamKey(upstream));
  }

  /** Called after each swap with the new table and the upstreams it no longer routes to. */
  onChange(listener: RouteTableListener): void {
    this.listeners.push(listener);
  }
}
