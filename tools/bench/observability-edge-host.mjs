// Child process of observability-edge.mjs: two edges built from apps/edge/dist in one process,
// identical but for their metrics collector — `on` counts per release and per path (as the edge
// does), `off` counts nothing — and a tiny upstream in another process behind both. The parent
// sends traffic to one edge at a time and asks for this process's CPU time between rounds.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { createEdgeServer } = require(path.join(root, 'apps/edge/dist/server.js'));
const { EdgeMetricsCollector } = require(path.join(root, 'apps/edge/dist/metrics.js'));
const { RouteTable } = require(path.join(root, 'apps/edge/dist/route-table.js'));

/** What the edge calls on its collector, doing nothing: the "off" side. */
const noCollector = { unrouted: 0, record() {}, drain: () => [], lifetime: () => [], forgetExcept() {} };

const upstreamPort = Number(process.env.UPSTREAM_PORT);
const table = {
  version: 1,
  generatedAt: new Date().toISOString(),
  routes: [
    { hosts: ['bench.localhost'], organizationId: 'o', projectId: 'p', environmentId: 'e', releaseId: 'bench', upstreams: [{ host: '127.0.0.1', port: upstreamPort, containerId: 'bench' }] },
  ],
};

function start(metrics) {
  const routes = new RouteTable();
  routes.apply(table);
  const edge = createEdgeServer({ routes, metrics });
  return new Promise((resolve) => edge.server.listen(0, '127.0.0.1', () => resolve({ edge, port: edge.server.address().port })));
}

{
  const on = await start(new EdgeMetricsCollector());
  const off = await start(noCollector);
  // Drain every 10 s as the flusher does (the entries are dropped: no Redis here).
  const timer = setInterval(() => on.edge.metrics.drain(), 10_000);
  process.on('message', (m) => {
    if (m === 'cpu') process.send({ cpu: process.cpuUsage() });
    if (m === 'stop') {
      clearInterval(timer);
      process.exit(0);
    }
  });
  process.send({ ports: { on: on.port, off: off.port } });
}
