#!/usr/bin/env node
// The floor bench:gateway compares against: the least a Node proxy can do per model call on
// this machine (read the body, parse it, set the model, forward over a keep-alive node:http
// agent, read the answer, parse it, send it back). No auth, routing, limits or usage.
//   node tools/bench/minimal-proxy.mjs <port> <upstream port>
import http from 'node:http';

const [port, upstreamPort] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      body.model = 'mock-fast';
      const payload = JSON.stringify(body);
      const headers = { ...req.headers, host: `127.0.0.1:${upstreamPort}`, 'content-length': Buffer.byteLength(payload) };
      const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, path: req.url, method: 'POST', headers, agent }, (answer) => {
        const out = [];
        answer.on('data', (c) => out.push(c));
        answer.on('end', () => {
          const text = Buffer.concat(out).toString('utf8');
          if (!answer.headers['content-type']?.includes('event-stream')) JSON.parse(text);
          res.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'], 'content-length': Buffer.byteLength(text) });
          res.end(text);
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(payload);
    });
  })
  .listen(port, '127.0.0.1', () => console.log('minimal proxy ready'));
