// Started by the Procfile's `web:` line (package.json has no start script).
const http = require('node:http');

const server = http.createServer((req, res) => res.end('procfile-app web\n'));
server.listen(Number(process.env.PORT || 3000));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
