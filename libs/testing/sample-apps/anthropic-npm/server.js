// `/` → 200; `/ask?q=…` asks the model alias `default` through the Slipway gateway with the
// official SDK, configured only by the ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY variables the
// platform injects, and answers with the model's text.
const http = require('node:http');
const Anthropic = require('@anthropic-ai/sdk').default;

const client = new Anthropic();

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://app');
  if (url.pathname !== '/ask') return res.end(`anthropic-npm on node ${process.versions.node}\n`);
  try {
    const message = await client.messages.create({
      model: 'default',
      max_tokens: 64,
      messages: [{ role: 'user', content: url.searchParams.get('q') || 'Say hello.' }],
    });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ text: message.content.map((b) => (b.type === 'text' ? b.text : '')).join(''), model: message.model, usage: message.usage }));
  } catch (err) {
    console.error(`gateway call failed: ${err.message}`);
    res.statusCode = 502;
    res.end(`gateway call failed: ${err.message}\n`);
  }
});
server.listen(Number(process.env.PORT || 3000), () => console.log('anthropic-npm listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
