import { describe, expect, it } from 'vitest';
import { generateNginxConfig } from './nginx-conf';

describe('generateNginxConfig', () => {
  it('runs unprivileged: every writable path under /tmp, logs to stdout/stderr, the given port', () => {
    const conf = generateNginxConfig({ spa: false, toolchain: null }, 8080);
    expect(conf).toContain('pid /tmp/nginx.pid;');
    expect(conf).toContain('error_log stderr warn;');
    expect(conf).toContain('access_log /dev/stdout;');
    expect(conf).toContain('listen 8080;');
    for (const temp of conf.match(/_temp_path \S+;/g) ?? []) expect(temp).toMatch(/_temp_path \/tmp\//);
    expect(conf.match(/_temp_path/g)).toHaveLength(5);
  });

  it('falls back to index.html for single-page apps, else to the site 404', () => {
    expect(generateNginxConfig({ spa: true, toolchain: null }, 3000)).toContain('try_files $uri $uri/ $uri.html /index.html;');
    const pages = generateNginxConfig({ spa: false, toolchain: null }, 3000);
    expect(pages).toContain('try_files $uri $uri/ $uri.html =404;');
    expect(pages).toContain('error_page 404 /404.html;');
  });

  it('caches hashed assets of built sites only', () => {
    expect(generateNginxConfig({ spa: true, toolchain: null }, 3000)).not.toContain('immutable');
    const built = generateNginxConfig({ spa: true, toolchain: {} as never }, 3000);
    expect(built).toContain('location ^~ /assets/ { add_header Cache-Control "public, max-age=31536000, immutable"; try_files $uri =404; }');
  });
});
