import type { StaticRecipe } from './detect';
import { STATIC_SITE_DIR } from './dockerfile';

/** Build tools put content-hashed files here; they never change, so browsers may keep them. */
const HASHED_ASSET_FOLDERS = ['/assets/', '/_next/static/', '/static/', '/_astro/', '/_app/immutable/'];

/**
 * nginx.conf for a static site, run as a non-root uid (`nginx -e stderr -c <file>`): every
 * path nginx writes is under /tmp, logs go to stdout/stderr. Unknown paths answer index.html
 * with 200 for single-page apps (client-side routing), else the site's 404.html when it has
 * one. Built sites' hashed asset folders are cached for a year. `try_files $uri.html` serves `/about` from about.html (Next export, Astro, SvelteKit).
 */
export function generateNginxConfig(recipe: Pick<StaticRecipe, 'spa' | 'toolchain'>, port: number): string {
  const fallback = recipe.spa ? '/index.html' : '=404';
  return `${[
    'worker_processes 1;',
    'daemon off;',
    'pid /tmp/nginx.pid;',
    'error_log stderr warn;',
    'events { worker_connections 1024; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '  access_log /dev/stdout;',
    '  client_body_temp_path /tmp/nginx-client-body;',
    '  proxy_temp_path /tmp/nginx-proxy;',
    '  fastcgi_temp_path /tmp/nginx-fastcgi;',
    '  uwsgi_temp_path /tmp/nginx-uwsgi;',
    '  scgi_temp_path /tmp/nginx-scgi;',
    '  sendfile on;',
    '  server_tokens off;',
    '  gzip on;',
    '  gzip_types text/css application/javascript text/javascript application/json image/svg+xml text/plain application/xml;',
    '  server {',
    `    listen ${port};`,
    `    root ${STATIC_SITE_DIR};`,
    '    index index.html;',
    ...(recipe.spa ? [] : ['    error_page 404 /404.html;', '    location = /404.html { internal; }']),
    `    location / { try_files $uri $uri/ $uri.html ${fallback}; }`,
    // Only a build tool's output is content-hashed; a hand-written site's /assets/ may change.
    ...(recipe.toolchain ? HASHED_ASSET_FOLDERS : []).map((folder) => `    location ^~ ${folder} { add_header Cache-Control "public, max-age=31536000, immutable"; try_files $uri =404; }`),
    '  }',
    '}',
  ].join('\n')}\n`;
}
