import path from 'node:path';
import type { NextConfig } from 'next';

// The console talks only to the api, same-origin, so the session cookie stays httpOnly: the
// forwarding of /api/* happens at request time in proxy.ts (a rewrite here would freeze the
// api address into the build). This file, proxy.ts and server.mjs are the console's only
// readers of process.env (all run in Node).
// A second build folder (e.g. CONSOLE_DIST_DIR=dist/local, git-, lint- and size-check-ignored)
// lets a local console run while another build of the same tree runs.
const distDir = process.env.CONSOLE_DIST_DIR ?? '.next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  distDir,
  // npm workspaces hoist every package to the repo root; Turbopack must see it.
  turbopack: { root: path.join(__dirname, '..', '..') },
};

export default nextConfig;
