// Express on PORT: `/` says which Node runs it, so a test can check the engines.node choice.
const express = require('express');

const app = express();
app.get('/', (req, res) => res.type('text').send(`express-yarn on node ${process.versions.node}\n`));
const server = app.listen(Number(process.env.PORT || 3000), () => console.log('express-yarn listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
