import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import type Docker from 'dockerode';
import type { GatewayRelayOptions, GatewayRelayResult } from './container-runtime';
import { ContainerStartError } from './docker.errors';
import { dockerMessage, dockerStatus, isUnreachable } from './docker-internals';
import { LABELS, MANAGED_LABELS, ROLES } from './labels';

const MIB = 1024 * 1024;
/** Where the socket's folder appears inside the relay. */
export const RELAY_SOCKET_DIR = '/run/slipway';
/** Not root, and no user of the images apps are built from (the api makes the socket connectable for it). */
export const RELAY_USER = '10001:10001';
/**
 * socat forks one process per connection; at this many it stops accepting (new connections
 * wait in the backlog) instead of hitting the pids limit, where a failed fork would end the relay.
 */
export const RELAY_MAX_CONNECTIONS = 200;
/** Measured: 1.5 MiB idle, 29 MiB with 150 open connections (≈0.2 MiB each), so 200 fit. */
const RELAY_MEMORY_MB = 64;
const RELAY_PIDS_LIMIT = RELAY_MAX_CONNECTIONS + 16;
const RELAY_NANO_CPUS = 500_000_000;
/** A digest of everything the relay is made from: another digest means it must be replaced. */
export const RELAY_SPEC_LABEL = 'slipway.relay-spec';
/**
 * Create attempts when other processes remove or create the same relay at the same moment (the
 * engine reserves the name before inspect can see the container, so a loser waits a little).
 */
const ATTEMPTS = 5;
const RETRY_DELAY_MS = 100;

interface RelayDeps {
  findImage(ref: string): Promise<string | null>;
  translate(operation: string, err: unknown): Error;
}

/**
 * ContainerRuntime.ensureGatewayRelay on dockerode: inspect by name → keep it when it runs with
 * the same spec digest → else remove it and create a new one. A name conflict means another
 * process is doing the same, so the loop looks again instead of failing.
 */
export async function ensureGatewayRelay(docker: Docker, options: GatewayRelayOptions, deps: RelayDeps): Promise<GatewayRelayResult> {
  const imageId = await deps.findImage(options.image);
  if (!imageId) throw new ContainerStartError(options.name, `No such image: ${options.image}`);
  const digest = relaySpecDigest(options, imageId);
  for (let attempt = 1; ; attempt++) {
    const existing = await inspect(docker, options.name, deps);
    if (existing?.Config.Labels?.[RELAY_SPEC_LABEL] === digest) {
      if (existing.State.Running && !existing.State.Paused && !existing.State.Restarting) return { id: existing.Id, created: false };
      if (attempt > 1) return { id: await start(docker, existing.Id, options.name, deps), created: false }; // theirs, not started yet
    }
    if (existing) await remove(docker, existing.Id, deps);
    try {
      return { id: await create(docker, options, digest, deps), created: true };
    } catch (err) {
      if (!(err instanceof NameTaken) || attempt >= ATTEMPTS)
        throw err instanceof NameTaken ? new ContainerStartError(options.name, err.message) : err;
      await setTimeout(RETRY_DELAY_MS * attempt);
    }
  }
}

/** The container's settings: confined like an app container, and further (read-only, no published port, fixed user). */
export function relayContainerSpec(options: GatewayRelayOptions, digest: string): Docker.ContainerCreateOptions {
  const volume = !isAbsolute(options.socketMount);
  return {
    name: options.name,
    Image: options.image,
    // Set both: images such as alpine/socat have `socat` as their entrypoint already.
    Entrypoint: ['socat'],
    Cmd: [
      `TCP-LISTEN:${options.port},fork,reuseaddr,max-children=${RELAY_MAX_CONNECTIONS}`,
      `UNIX-CONNECT:${RELAY_SOCKET_DIR}/${options.socketName}`,
    ],
    User: RELAY_USER,
    Env: [],
    Labels: { ...options.labels, [LABELS.role]: ROLES.gatewayRelay, [RELAY_SPEC_LABEL]: digest, ...MANAGED_LABELS },
    HostConfig: {
      NetworkMode: options.network,
      // Nothing published: only containers on the project network reach it, by its alias.
      PortBindings: {},
      PublishAllPorts: false,
      Memory: RELAY_MEMORY_MB * MIB,
      MemorySwap: RELAY_MEMORY_MB * MIB,
      NanoCpus: RELAY_NANO_CPUS,
      PidsLimit: RELAY_PIDS_LIMIT,
      SecurityOpt: ['no-new-privileges'],
      CapDrop: ['ALL'],
      CapAdd: [],
      Privileged: false,
      ReadonlyRootfs: true,
      // The socket's folder only, read-only (connecting to a socket needs no write access to the
      // mount). A host folder goes through Binds, so dockerd creates it if the api has not yet.
      Binds: volume ? [] : [`${options.socketMount}:${RELAY_SOCKET_DIR}:ro`],
      Mounts: volume ? [{ Type: 'volume', Source: options.socketMount, Target: RELAY_SOCKET_DIR, ReadOnly: true }] : [],
      // The reconciler restarts it (as it does replicas), not the engine.
      RestartPolicy: { Name: 'no' },
      Init: true,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
    },
    NetworkingConfig: { EndpointsConfig: { [options.network]: { Aliases: [options.alias] } } },
  };
}

/**
 * The digest a relay made from these options and this image carries (label RELAY_SPEC_LABEL):
 * a listed relay that runs with it needs nothing (the reconciler's pass compares labels instead
 * of inspecting every relay).
 */
export function relaySpecDigest(options: GatewayRelayOptions, imageId: string): string {
  const { name: _name, labels, ...rest } = options;
  const spec = { ...rest, imageId, labels: Object.entries(labels).sort(), maxConnections: RELAY_MAX_CONNECTIONS, user: RELAY_USER };
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 32);
}

class NameTaken extends Error {}

async function inspect(docker: Docker, name: string, deps: RelayDeps): Promise<Docker.ContainerInspectInfo | null> {
  try {
    return await docker.getContainer(name).inspect();
  } catch (err) {
    if (dockerStatus(err) === 404) return null;
    throw deps.translate('relay inspect', err);
  }
}

async function remove(docker: Docker, id: string, deps: RelayDeps): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    const status = dockerStatus(err);
    if (status === 404 || (status === 409 && /already in progress/i.test(dockerMessage(err)))) return;
    throw deps.translate('relay remove', err);
  }
}

async function create(docker: Docker, options: GatewayRelayOptions, digest: string, deps: RelayDeps): Promise<string> {
  let container: Docker.Container;
  try {
    container = await docker.createContainer(relayContainerSpec(options, digest));
  } catch (err) {
    if (isUnreachable(err)) throw deps.translate('relay create', err);
    if (dockerStatus(err) === 409) throw new NameTaken(dockerMessage(err));
    throw new ContainerStartError(options.name, dockerMessage(err));
  }
  try {
    return await start(docker, container.id, options.name, deps);
  } catch (err) {
    await container.remove({ force: true }).catch(() => undefined);
    throw err;
  }
}

async function start(docker: Docker, id: string, name: string, deps: RelayDeps): Promise<string> {
  try {
    await docker.getContainer(id).start();
  } catch (err) {
    if (isUnreachable(err)) throw deps.translate('relay start', err);
    if (dockerStatus(err) !== 304) throw new ContainerStartError(name, dockerMessage(err)); // 304: already running
  }
  return id;
}
