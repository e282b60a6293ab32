// A dependency-free shop whose faults are files, so a test pushes a bad release by adding one:
// `/` answers `shop <VERSION>`, `/checkout` 200 `paid`, `/healthz` 200. With a CHECKOUT_FAILURE
// file, `/checkout` answers 500 and logs the file's line on stderr; with a BROKEN file, every
// request but `/healthz` answers 500. One log line per request on stdout. SIGTERM: drain, exit 0.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const read = (name) => (fs.existsSync(path.join(__dirname, name)) ? fs.readFileSync(path.join(__dirname, name), 'utf8').trim() : null);
const port = Number(process.env.PORT || 3000);
const version = read('VERSION') ?? 'v0';
const checkoutFailure = read('CHECKOUT_FAILURE');
const broken = read('BROKEN') !== null;

const server = http.createServer((req, res) => {
  let status = 200;
  let body = `shop ${version}\n`;
  if (req.url === '/healthz') body = 'ok\n';
  else if (broken) [status, body] = [500, `shop ${version} is broken\n`];
  else if (req.url === '/checkout' && checkoutFailure !== null) {
    console.error(checkoutFailure);
    [status, body] = [500, 'checkout failed\n'];
  } else if (req.url === '/checkout') body = 'paid\n';
  else if (req.url !== '/') [status, body] = [404, 'not found\n'];
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
  console.log(`${req.method} ${req.url} ${status}`);
});

server.keepAliveTimeout = 5_000;
server.listen(port, () => console.log(`shop ${version} listening on ${port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
