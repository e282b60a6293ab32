// Starts and listens like a healthy app, but answers every request (health check
// included) with 500 and logs why, so a deploy of it must fail and keep the old release.
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const reason = 'cannot reach the database at db.invalid:5432 (sample app: always unhealthy)';

const server = http.createServer((req, res) => {
  console.error(`${req.method} ${req.url} 500: unhealthy: ${reason}`);
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`unhealthy: ${reason}\n`);
});

server.listen(port, () => console.log(`unhealthy listening on ${port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
