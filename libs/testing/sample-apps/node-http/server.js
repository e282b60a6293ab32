// A dependency-free HTTP server. `/` answers with the version (env APP_VERSION, else the
// VERSION file), `/healthz` with 200. One log line per request. SIGTERM: stop accepting,
// finish in-flight requests, exit 0.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const port = Number(process.env.PORT || 3000);
const version = process.env.APP_VERSION || fs.readFileSync(path.join(__dirname, 'VERSION'), 'utf8').trim();

const server = http.createServer((req, res) => {
  const status = req.url === '/' || req.url === '/healthz' ? 200 : 404;
  const body = req.url === '/healthz' ? 'ok\n' : status === 200 ? `node-http ${version}\n` : 'not found\n';
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
  console.log(`${req.method} ${req.url} ${status}`);
});

server.keepAliveTimeout = 5_000;
server.listen(port, () => console.log(`node-http ${version} listening on ${port}`));
process.on('SIGTERM', () => {
  console.log('SIGTERM: draining');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
