import path from 'node:path';
import type { NextConfig } from 'next';

// The console talks only to the api, same-origin, so the session cookie stays httpOnly.
// This file is the one place in the console that reads process.env (it runs in Node).
const apiOrigin = process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000';
// A second build folder (e.g. CONSOLE_DIST_DIR=dist/local, git-, lint- and size-check-ignored)
// lets a local console run while another build of the same tree runs.
const distDir = process.env.CONSOLE_DIST_DIR ?? '.next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  distDir,
  // npm workspaces hoist every package to the repo root; Turbopack must see it.
  turbopack: { root: path.join(__dirname, '..', '..') },
  async rewrites() {
    return [{ source: '/api/:path*', destination: `${apiOrigin}/api/:path*` }];
  },
};

export default nextConfig;
