// A Docker engine of the fault harness's own, so its dockerd can be stopped and restarted
// without touching the machine's engine (other people's builds and apps run there). Its own
// data root, exec root (with its own containerd), pid file and socket; no iptables rules (the
// machine's engine owns those chains): apps are still reached through their published ports on
// 127.0.0.1 (docker-proxy), builds get no outbound network, which the harness's Dockerfile app
// does not need. --live-restore keeps containers running while the engine is down.
//
// Its default bridge is one of its own, made before it starts: `--bridge=none` would make this
// dockerd delete the host's `docker0`, the machine engine's default bridge. The bridge is on
// 10.199.<slot>.0/24 and its networks come from 10.<200 + slot>.0.0/16, ranges Docker's default
// pools (172.17–31/16, 192.168/16) and Slipway's project pool (PROJECT_NETWORK_POOL, 10.73/16 by
// default) never hand out, so they cannot overlap the machine engine's networks on the host: the
// platform under the harness takes its project subnets from this engine's range too (two engines
// on one host giving one subnet to two bridges would route the published ports to the wrong one).
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { capture, isAlive, which } from '../lib/system.mjs';
import { dockerAnswers, waitUntil } from '../lib/probe.mjs';

/**
 * @param {{ dir: string, images: string[] }} options  images: copied from the machine's engine
 * @returns {Promise<{ ok: true, host: string, networkPool: string, start(): Promise<void>, stop(): Promise<void>, remove(): Promise<void> } | { ok: false, why: string }>}
 */
export async function startPrivateEngine({ dir, images, slot = 0 }) {
  const dockerd = which('dockerd', ['/usr/bin', '/usr/sbin']);
  if (!dockerd) return { ok: false, why: 'dockerd is not installed (Debian package docker.io)' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'a second dockerd needs root' };
  mkdirSync(dir, { recursive: true });
  const socket = path.join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const logFile = path.join(dir, 'dockerd.log');
  const bridge = `slipway-f${slot}`;
  const subnet = `10.${200 + slot}`;
  const made = makeBridge(bridge, `10.199.${slot}.1/24`);
  if (!made.ok) return { ok: false, why: `could not make the harness engine's bridge ${bridge}: ${made.why}` };
  const args = [
    ...['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'docker.pid')],
    ...['-H', host, `--bridge=${bridge}`, '--default-address-pool', `base=${subnet}.0.0/16,size=24`, '--iptables=false', '--ip-masq=false', '--live-restore'],
  ];
  let child = null;
  const answers = () => dockerAnswers({ socketPath: socket }, 1000);

  async function start() {
    const out = openSync(logFile, 'a');
    child = spawn(dockerd, args, { detached: true, stdio: ['ignore', out, out] });
    child.unref();
    const started = child;
    await waitUntil(async () => started.exitCode !== null || (await answers()), { timeoutMs: 30_000, intervalMs: 200 });
    if (!(await answers())) throw new Error(`the harness's dockerd did not answer in 30 s:\n${tail(logFile)}`);
  }
  async function stop() {
    const pid = child?.pid;
    if (!pid || !isAlive(pid)) return;
    process.kill(pid, 'SIGTERM');
    if (!(await waitUntil(() => !isAlive(pid), { timeoutMs: 20_000, intervalMs: 100 }))) process.kill(pid, 'SIGKILL');
  }
  const docker = (...a) => capture('docker', a, { env: { ...process.env, DOCKER_HOST: host } });

  try {
    await start();
  } catch (err) {
    await stop();
    removeBridge(bridge);
    return { ok: false, why: `a second dockerd does not run on this machine (${err.message.split('\n')[0]})` };
  }
  for (const image of images) {
    // docker save | docker load: the images the harness's builds and relays start from.
    const r = capture('sh', ['-c', 'docker save "$1" | DOCKER_HOST="$2" docker load -q', 'sh', image, host]);
    if (r.code !== 0) {
      await stop();
      removeBridge(bridge);
      return { ok: false, why: `could not copy ${image} into the harness's engine: ${r.stderr.trim()}` };
    }
  }
  return {
    ok: true,
    host,
    /** Where the platform on this engine takes its project subnets (PROJECT_NETWORK_POOL): this engine's own range, never the machine engine's. */
    networkPool: `${subnet}.0.0/16`,
    start,
    stop,
    /** Removes every container and network of this engine, then stops it (with live-restore, stopping alone would leave them running). */
    async remove() {
      if (child?.pid && isAlive(child.pid)) {
        const ids = docker('ps', '-aq').stdout.split('\n').filter(Boolean);
        if (ids.length) docker('rm', '-f', '-v', ...ids);
        docker('network', 'prune', '-f');
      }
      await stop();
      capture('umount', ['-l', path.join(dir, 'data')]); // dockerd bind-mounts its data root on itself
      removeBridge(bridge);
    },
  };
}

const tail = (file) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n');
  } catch {
    return '(no log)';
  }
};

/** A Linux bridge with an address, up (a leftover of a killed run is replaced). */
function makeBridge(name, cidr) {
  removeBridge(name);
  for (const args of [['link', 'add', name, 'type', 'bridge'], ['addr', 'add', cidr, 'dev', name], ['link', 'set', name, 'up']]) {
    const r = capture('ip', args);
    if (r.code !== 0) {
      removeBridge(name);
      return { ok: false, why: `ip ${args.join(' ')}: ${r.stderr.trim()}` };
    }
  }
  return { ok: true };
}

function removeBridge(name) {
  capture('ip', ['link', 'delete', name, 'type', 'bridge']);
}
