// A small weather API to publish on the marketplace. Deterministic answers (no network), so a
// test can check what came back. `/`, `/healthz` and `/openapi.json` are open (the platform's
// health check and the listing's API reference read them); the operations refuse any call
// without the listing's proxy secret when SLIPWAY_PROXY_SECRET is set: only the edge knows it,
// so a call that bypassed the edge (and its keys, limits and billing) gets 401.
const express = require('express');
const { timingSafeEqual } = require('node:crypto');
const openapi = require('./openapi.json');

const app = express();
app.use(express.json({ limit: '16kb' }));
const secret = process.env.SLIPWAY_PROXY_SECRET || '';

const CITIES = {
  lisbon: { name: 'Lisbon', country: 'PT', baseC: 17 },
  oslo: { name: 'Oslo', country: 'NO', baseC: 4 },
  nairobi: { name: 'Nairobi', country: 'KE', baseC: 21 },
  quito: { name: 'Quito', country: 'EC', baseC: 14 },
};

/** Constant-time comparison: the secret must not leak through timing. */
function fromEdge(req) {
  if (!secret) return true;
  const got = Buffer.from(String(req.get('slipway-proxy-secret') || ''));
  const want = Buffer.from(secret);
  return got.length === want.length && timingSafeEqual(got, want);
}

app.get('/', (req, res) => res.type('text').send('weather-api: see /openapi.json\n'));
app.get('/healthz', (req, res) => res.type('text').send('ok\n'));
app.get('/openapi.json', (req, res) => res.json(openapi));

// Everything below is the API itself.
app.use((req, res, next) => {
  if (fromEdge(req)) return next();
  res.status(401).json({ error: 'call this API through its marketplace URL with an API key' });
});

app.get('/cities', (req, res) => res.json({ cities: Object.entries(CITIES).map(([id, c]) => ({ id, name: c.name, country: c.country })) }));

app.get('/forecast', (req, res) => {
  const id = String(req.query.city || '').toLowerCase();
  const city = CITIES[id];
  if (!city) return res.status(404).json({ error: `unknown city "${id}"; GET /cities lists them` });
  const days = Math.min(Math.max(Number(req.query.days) || 3, 1), 7);
  const forecast = Array.from({ length: days }, (_, i) => ({
    day: i + 1,
    tempC: city.baseC + ((i * 3) % 5) - 2,
    summary: i % 2 ? 'cloudy' : 'sunny',
  }));
  res.json({ city: id, consumer: req.get('slipway-consumer-id') || null, plan: req.get('slipway-plan') || null, forecast });
});

app.post('/alerts', (req, res) => {
  const { city, belowC } = req.body || {};
  if (!CITIES[city] || typeof belowC !== 'number')
    return res.status(400).json({ error: 'body: { "city": one of GET /cities, "belowC": number }' });
  res.status(201).json({ id: `alert_${city}_${belowC}`, city, belowC });
});

const server = app.listen(Number(process.env.PORT || 3000), () => console.log('weather-api listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
