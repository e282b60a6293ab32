import { beforeAll, describe, expect, it } from 'vitest';
import { attacker, nodeBaseImage, pushCommit, redisDatabasesWith } from '../support/attacker';
import { E2E } from '../support/env';

const REDIS_PORT = Number(new URL(E2E.redisUrl).port || 6379);
const POSTGRES_PORT = Number(new URL(E2E.databaseUrl).port || 5432);

/**
 * A build step that goes for the platform's own Redis and PostgreSQL, on the host's loopback
 * and through the build network's gateway (the host's address on that bridge), and tries to
 * write a key. It prints what happened to each target, then fails the build on purpose.
 */
const PROBE = `#!/bin/sh
gateway=$(ip route | awk '/default/ {print $3}')
echo "probe: the build network's gateway is $gateway"
for target in 127.0.0.1:${REDIS_PORT} $gateway:${REDIS_PORT} 127.0.0.1:${POSTGRES_PORT} $gateway:${POSTGRES_PORT}; do
  host=\${target%:*}
  port=\${target#*:}
  if printf 'SET pwned from-a-build\\r\\nQUIT\\r\\n' | nc -w 3 "$host" "$port"; then
    echo "probe: CONNECTED to $target"
  else
    echo "probe: no connection to $target"
  fi
done
exit 1
`;

describe('attack: a build step connects to the platform', () => {
  let remote: string;
  let base: string;

  beforeAll(async () => {
    const tenant = await attacker('NetworkAttacker');
    remote = (await tenant.project('pivot')).remote;
    base = await nodeBaseImage();
  });

  it('reaches neither Redis nor PostgreSQL, on loopback or the gateway, and writes nothing', async () => {
    const push = await pushCommit(remote, { Dockerfile: `FROM ${base}\nCOPY probe.sh /probe.sh\nRUN sh /probe.sh\n`, 'probe.sh': PROBE });
    expect(push.code, push.out).not.toBe(0);
    const gateway = /remote: probe: the build network's gateway is (\d+\.\d+\.\d+\.\d+)/.exec(push.out)?.[1];
    expect(gateway, push.out).toBeDefined();
    for (const target of [`127.0.0.1:${REDIS_PORT}`, `${gateway}:${REDIS_PORT}`, `127.0.0.1:${POSTGRES_PORT}`, `${gateway}:${POSTGRES_PORT}`]) {
      expect(push.out).toContain(`remote: probe: no connection to ${target}`);
    }
    expect(push.out).toMatch(/remote: nc: can't connect to remote host \(127\.0\.0\.1\): Connection refused/);
    expect(push.out).not.toContain('CONNECTED');
    expect(await redisDatabasesWith('pwned')).toEqual([]);
  });
});
