// The console's production server: Next.js behind a node:http server of our own, for one reason
// — the api counts login and sign-up attempts per client address, and only this server sees
// the socket the browser connected from. `next start` would hand proxy.ts whatever
// X-Forwarded-For the client chose to send. Every request gets CLIENT_ADDRESS_HEADER (any copy
// the client sent is overwritten), which proxy.ts turns into the X-Forwarded-For the api reads.
//   node apps/console/server.mjs [--hostname 127.0.0.1] [--port 3000]
// CONSOLE_TRUSTED_PROXIES: reverse proxies in front of the console (a TLS terminator) whose
// X-Forwarded-For is believed; empty by default.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import next from 'next';
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxies } from './server/client-address.mjs';

const { values } = parseArgs({
  options: { hostname: { type: 'string', short: 'H', default: '127.0.0.1' }, port: { type: 'string', short: 'p', default: '3000' } },
});
const hostname = values.hostname;
const port = Number(values.port);

let trusted;
try {
  trusted = trustedProxies(process.env.CONSOLE_TRUSTED_PROXIES);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

const app = next({ dir: path.dirname(fileURLToPath(import.meta.url)), hostname, port, dev: false });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);
  handle(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(port, hostname, () => console.log(`console listening on http://${hostname}:${port}`));

// Finish in-flight requests on SIGTERM/SIGINT, but never hang on a connection that stays open.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
