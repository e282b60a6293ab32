import { statfs } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import Docker from 'dockerode';
import { CONFIG, type Config } from '@slipway/config';
import { DockerOperationError, DockerUnavailableError } from './docker.errors';
import { dockerMessage, dockerStatus, isUnreachable, parseDockerHost, withTimeout, type DockerAddress } from './docker-internals';

/** What the engine's machine has: its memory (`docker info` MemTotal) and the disk of its data root. */
export interface MachineInfo {
  memoryTotalBytes: number;
  /** The engine's data root (`docker info` DockerRootDir), where images, layers and container files live. */
  dockerRootDir: string;
  /** Free and total bytes of the file system holding `dockerRootDir`; null when this process cannot see it (a remote engine). */
  disk: { freeBytes: number; totalBytes: number } | null;
}

export const MACHINE_INFO = Symbol('MACHINE_INFO');

/** Reads MachineInfo; domain code injects MACHINE_INFO so tests can give a machine of any size. */
export interface MachineInfoSource {
  read(): Promise<MachineInfo>;
}

/**
 * MachineInfo from the Docker engine. The disk is measured with statfs on the engine's data
 * root, which works when the engine runs on this machine (the supported set-up: dockerd over
 * its local socket); for a remote engine the path is not ours to read and the disk is unknown.
 */
@Injectable()
export class DockerMachineInfo implements MachineInfoSource {
  private readonly docker: Docker;
  private readonly address: DockerAddress;

  constructor(@Inject(CONFIG) config: Pick<Config, 'DOCKER_HOST'>) {
    this.address = parseDockerHost(config.DOCKER_HOST);
    this.docker = new Docker(this.address.modem);
  }

  async read(): Promise<MachineInfo> {
    let info: { MemTotal?: number; DockerRootDir?: string };
    try {
      info = (await withTimeout(this.docker.info(), 5_000)) as typeof info;
    } catch (err) {
      if (isUnreachable(err)) throw new DockerUnavailableError(this.address.label, err.code ?? 'unreachable');
      throw new DockerOperationError('info', dockerStatus(err), err instanceof Error && err.message === 'timeout' ? 'the engine did not answer in time' : dockerMessage(err));
    }
    const dockerRootDir = info.DockerRootDir ?? '/var/lib/docker';
    const local = this.address.modem.socketPath !== undefined;
    const fs = local ? await statfs(dockerRootDir).catch(() => null) : null;
    return {
      memoryTotalBytes: info.MemTotal ?? 0,
      dockerRootDir,
      disk: fs ? { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize } : null,
    };
  }
}
