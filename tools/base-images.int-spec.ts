import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBaseImages } from './lib/base-images.mjs';

// The local base images against the real Docker engine: made (or found) the way `npm start`
// makes them, then used the way builds and the relay use them. Containers run on the default
// bridge network (never the host's), labelled slipway.test=1, and are removed after each test.
const silent = { step: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const docker = (args: string[], timeout = 60_000) => spawnSync('docker', args, { encoding: 'utf8', timeout });
const run = (image: string, args: string[], opts: string[] = []) => docker(['run', '--rm', '--label', 'slipway.test=1', ...opts, image, ...args], 120_000);
const label = (image: string, key: string) => docker(['image', 'inspect', '--format', `{{index .Config.Labels "${key}"}}`, image]).stdout.trim();

const work = mkdtempSync(path.join(tmpdir(), 'base-images-spec-'));

beforeAll(async () => {
  // Made from the download cache when missing: minutes on a cold machine, 0.1 s when present.
  await ensureBaseImages({ log: silent });
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('slipway/node images', () => {
  it.each([20, 22, 24])('slipway/node:%i holds that Node major, labelled with its exact version', (major) => {
    const r = run(`slipway/node:${major}`, ['node', '-v']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(new RegExp(`^v${major}\\.\\d+\\.\\d+$`));
    expect(`v${label(`slipway/node:${major}`, 'slipway.node.version')}`).toBe(r.stdout.trim());
  });

  it('runs npm, yarn and pnpm, and npm reaches the registry through the CA it trusts', () => {
    const r = run('slipway/node:24', ['sh', '-c', 'node -v && npm -v && yarn --version && pnpm --version && npm view express version']);
    expect(r.status, r.stderr).toBe(0);
    const [node, npm, yarn, pnpm, express] = r.stdout.trim().split('\n');
    expect(node).toMatch(/^v24\./);
    expect(npm).toMatch(/^11\./);
    expect(yarn).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pnpm).toMatch(/^\d+\.\d+\.\d+$/);
    expect(express).toMatch(/^\d+\.\d+\.\d+$/);
  }, 120_000);

  it('lets uid 10001 install a package into a folder of its own, with a home it can write', () => {
    const script = 'cd /tmp && mkdir app && cd app && npm init -y >/dev/null && npm install --no-audit --no-fund ms@2 >/dev/null && /usr/bin/env node -e "console.log(require(\'ms\')(60000), require(\'os\').homedir())"';
    const r = run('slipway/node:24', ['sh', '-c', script], ['--user', '10001', '--cap-drop', 'ALL']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('1m /home/app');
  }, 120_000);
});

describe('slipway/static:1', () => {
  it('serves a site as uid 10001 with `nginx -e stderr -c /etc/slipway/nginx.conf`', async () => {
    const site = path.join(work, 'site');
    mkdirSync(site);
    writeFileSync(path.join(site, 'index.html'), '<h1>static spec</h1>\n');
    writeFileSync(path.join(site, 'app.css'), 'body { color: red }\n');
    const conf = path.join(work, 'nginx.conf');
    // The config the builder generates has this shape (infra/README.md, "Base images").
    writeFileSync(
      conf,
      `daemon off;
pid /tmp/nginx.pid;
error_log stderr;
events {}
http {
  include /etc/nginx/mime.types;
  access_log /dev/stdout;
  client_body_temp_path /tmp/client_body;
  proxy_temp_path /tmp/proxy;
  fastcgi_temp_path /tmp/fastcgi;
  uwsgi_temp_path /tmp/uwsgi;
  scgi_temp_path /tmp/scgi;
  server { listen 8080; root /site; }
}
`,
    );
    chmodSync(work, 0o755);
    const opts = ['--label', 'slipway.test=1', '--user', '10001', '--cap-drop', 'ALL', '-p', '127.0.0.1::8080'];
    const mounts = ['-v', `${site}:/site:ro`, '-v', `${conf}:/etc/slipway/nginx.conf:ro`];
    const started = docker(['run', '-d', ...opts, ...mounts, 'slipway/static:1', 'nginx', '-e', 'stderr', '-c', '/etc/slipway/nginx.conf']);
    expect(started.status, started.stderr).toBe(0);
    const id = started.stdout.trim();
    try {
      const port = docker(['port', id, '8080']).stdout.split('\n')[0]!.split(':').pop();
      let res: Response | null = null;
      for (let i = 0; i < 40 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
        if (!res) await new Promise((r) => setTimeout(r, 250));
      }
      expect(res?.status).toBe(200);
      expect(await res!.text()).toContain('static spec');
      expect((await fetch(`http://127.0.0.1:${port}/app.css`)).headers.get('content-type')).toBe('text/css');
      // Every nginx process (master and worker) runs as 10001: it never had root to drop.
      const uids = docker(['top', id, '-o', 'uid,pid']).stdout.trim().split('\n').slice(1).map((row) => row.split(/\s+/)[0]);
      expect(uids.length).toBeGreaterThanOrEqual(2);
      expect(new Set(uids)).toEqual(new Set(['10001']));
      expect(docker(['logs', id]).stdout).toContain('"GET / HTTP/1.1" 200');
    } finally {
      docker(['rm', '-f', id]);
    }
  }, 60_000);
});

describe('slipway/relay:1', () => {
  it('runs socat as uid 10001 with every capability dropped and a read-only root filesystem', () => {
    const r = run('slipway/relay:1', ['socat', '-V'], ['--user', '10001', '--cap-drop', 'ALL', '--read-only']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/socat version \d/);
  });
});
