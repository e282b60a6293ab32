// Passwords of the project-local PostgreSQL and Redis: random, generated once into the state
// folder (mode 600, like the master key), so no local server ever accepts a password-less
// connection. They reach the apps and tests inside DATABASE_URL / REDIS_URL, never on screen.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the password of `service` ('postgres' | 'redis') is kept. */
export const passwordFile = (stateDir, service) => path.join(stateDir, `${service}.password`);

/**
 * The password of a project-local server, generated on first use. base64url: safe in a URL
 * as it is, so the URLs need no escaping.
 * @param {string} stateDir
 * @param {'postgres' | 'redis'} service
 */
export function servicePassword(stateDir, service) {
  const file = passwordFile(stateDir, service);
  mkdirSync(stateDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (err.code !== 'EEXIST') throw err; // made earlier (or by a concurrent run): keep it
  }
  return readFileSync(file, 'utf8').trim();
}

/** `url` with `password` when it names none; a URL that has one is used as given. */
export function withPassword(url, password) {
  const u = new URL(url);
  if (u.password) return url;
  u.password = encodeURIComponent(typeof password === 'function' ? password() : password);
  return u.toString();
}

/** The password a URL carries ('' when none). */
export const passwordOf = (url) => decodeURIComponent(new URL(url).password);
