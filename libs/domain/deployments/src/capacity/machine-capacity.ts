import { Inject, Injectable, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { MachineCapacityDto } from '@slipway/contracts';
import { MACHINE_INFO, type MachineInfo, type MachineInfoSource } from '@slipway/docker';
import { AppError } from '@slipway/errors';
import { MachineCapacityRepository } from './machine-capacity.repository';

const MB = 1024 * 1024;

/** The machine's room from what the engine reports and what replicas reserve; pure, unit-tested. */
export function capacityOf(
  machine: MachineInfo,
  reserved: { replicas: number; memoryMb: number },
  settings: Pick<Config, 'MACHINE_MEMORY_RESERVED_MB' | 'MACHINE_DISK_RESERVED_MB'>,
): MachineCapacityDto {
  const totalMb = Math.floor(machine.memoryTotalBytes / MB);
  const disk = machine.disk && {
    totalMb: Math.floor(machine.disk.totalBytes / MB),
    freeMb: Math.floor(machine.disk.freeBytes / MB),
    reserveMb: settings.MACHINE_DISK_RESERVED_MB,
    availableMb: Math.floor(machine.disk.freeBytes / MB) - settings.MACHINE_DISK_RESERVED_MB,
  };
  return {
    memory: {
      totalMb,
      reservedByReplicasMb: reserved.memoryMb,
      headroomMb: settings.MACHINE_MEMORY_RESERVED_MB,
      availableMb: totalMb - reserved.memoryMb - settings.MACHINE_MEMORY_RESERVED_MB,
    },
    disk,
    replicas: reserved.replicas,
    settings: ['MACHINE_MEMORY_RESERVED_MB', 'MACHINE_DISK_RESERVED_MB'],
  };
}

/** Why `capacity` has no room for replicas needing `memoryMb` more, or null when it has. */
export function machineFullReason(capacity: MachineCapacityDto, memoryMb: number): string | null {
  const m = capacity.memory;
  if (memoryMb > m.availableMb) {
    return (
      `this machine has ${Math.max(0, m.availableMb)} MB of memory left for apps and the release needs ${memoryMb} MB ` +
      `(${m.totalMb} MB in all, ${m.reservedByReplicasMb} MB reserved by ${capacity.replicas} running replicas, ${m.headroomMb} MB kept by MACHINE_MEMORY_RESERVED_MB). ` +
      'Lower the memory or replicas of this environment, stop other environments, or add memory.'
    );
  }
  if (capacity.disk && capacity.disk.availableMb < 0) {
    return (
      `this machine's Docker data root has ${capacity.disk.freeMb} MB free, below the ${capacity.disk.reserveMb} MB kept by MACHINE_DISK_RESERVED_MB. ` +
      'Free disk space (old images, build cache) or add disk.'
    );
  }
  return null;
}

/** A deployment the machine has no room for (MACHINE_FULL): refused before anything starts or stops. */
export class MachineFullError extends AppError {
  constructor(reason: string) {
    super('MACHINE_FULL', `MACHINE_FULL: ${reason}`);
  }
}

/**
 * The machine's capacity: the engine's memory (`docker info`) less what running replicas reserve
 * and the configured headroom, and the free disk of the engine's data root. DeployRelease asks it
 * before starting a release's replicas; organization admins see it in the console.
 */
@Injectable()
export class MachineCapacity {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repository: MachineCapacityRepository,
    // Optional: specs that run deployments on a fake engine have no machine to measure.
    @Optional() @Inject(MACHINE_INFO) private readonly machine?: MachineInfoSource,
  ) {}

  async snapshot(): Promise<MachineCapacityDto> {
    if (!this.machine) throw new Error('MachineCapacity needs MACHINE_INFO (DockerModule)');
    const [machine, reserved] = await Promise.all([this.machine.read(), this.repository.reservedByReplicas()]);
    return capacityOf(machine, reserved, this.config);
  }

  /** Throws MachineFullError when `memoryMb` more would not fit (or the disk is below its reserve). */
  async assertRoomFor(memoryMb: number): Promise<void> {
    if (!this.machine) return;
    const reason = machineFullReason(await this.snapshot(), memoryMb);
    if (reason) throw new MachineFullError(reason);
  }
}
