// Built from its own Dockerfile (no package.json): answers `/` with the version from env
// APP_VERSION or the VERSION file, `/healthz` with 200; listens on PORT (8000 in the image).
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const port = Number(process.env.PORT || 8000);
const version = process.env.APP_VERSION || fs.readFileSync(path.join(__dirname, 'VERSION'), 'utf8').trim();

const server = http.createServer((req, res) => {
  const status = req.url === '/' || req.url === '/healthz' ? 200 : 404;
  const body = req.url === '/healthz' ? 'ok\n' : status === 200 ? `dockerfile-app ${version}\n` : 'not found\n';
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
  console.log(`${req.method} ${req.url} ${status}`);
});

server.listen(port, () => console.log(`dockerfile-app ${version} listening on ${port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
