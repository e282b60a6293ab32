import { Agent } from 'node:http';
import type { EdgeUpstream } from '@slipway/contracts';
import { upstreamKey } from '@slipway/redis';

/**
 * Idle keep-alive sockets are closed after this long: below Node's default server
 * keepAliveTimeout (5 s), so the edge rarely reuses a socket the app is closing.
 */
const IDLE_SOCKET_MS = 4_000;

/** One keep-alive Agent per upstream, so connections to one replica are pooled and reused. */
export class UpstreamAgents {
  private readonly agents = new Map<string, Agent>();

  get(upstream: EdgeUpstream): Agent {
    const key = upstreamKey(upstream);
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({ keepAlive: true, keepAliveMsecs: 1_000, timeout: IDLE_SOCKET_MS, scheduling: 'lifo', noDelay: true } as ConstructorParameters<typeof Agent>[0]);
      this.agents.set(key, agent);
    }
    return agent;
  }

  /**
   * Forget upstreams a new table no longer routes to. Only idle sockets are closed: requests
   * in flight keep their sockets and finish normally (the deployer drains before stopping).
   */
  retire(keys: Iterable<string>): void {
    for (const key of keys) {
      const agent = this.agents.get(key);
      if (!agent) continue;
      this.agents.delete(key);
      for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy();
    }
  }

  get size(): number {
    return this.agents.size;
  }

  destroyAll(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
