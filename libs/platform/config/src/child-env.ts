/**
 * The environment for child processes (git, docker CLI, hooks): only what a program needs to
 * run, never the platform's own secrets (DATABASE_URL, the master key, …).
 */
export function childProcessEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return env;
}
