import { describe, expect, it } from 'vitest';
import { capacityOf, machineFullReason } from './machine-capacity';

const GB = 1024 * 1024 * 1024;
const settings = { MACHINE_MEMORY_RESERVED_MB: 2048, MACHINE_DISK_RESERVED_MB: 1024 };
const machine = (memoryGb: number, diskFreeGb: number | null) => ({
  memoryTotalBytes: memoryGb * GB,
  dockerRootDir: '/var/lib/docker',
  disk: diskFreeGb === null ? null : { freeBytes: diskFreeGb * GB, totalBytes: 100 * GB },
});

describe('machine capacity', () => {
  it('is the engine memory minus what replicas reserve minus the headroom, and the free disk minus its reserve', () => {
    expect(capacityOf(machine(24, 50), { replicas: 10, memoryMb: 5120 }, settings)).toEqual({
      memory: { totalMb: 24576, reservedByReplicasMb: 5120, headroomMb: 2048, availableMb: 17408 },
      disk: { totalMb: 102400, freeMb: 51200, reserveMb: 1024, availableMb: 50176 },
      replicas: 10,
      settings: ['MACHINE_MEMORY_RESERVED_MB', 'MACHINE_DISK_RESERVED_MB'],
    });
  });

  it('has room for a release that fits exactly, and none for one MB more, naming the setting', () => {
    const c = capacityOf(machine(4, 50), { replicas: 2, memoryMb: 1024 }, settings); // 4096 - 1024 - 2048 = 1024 left
    expect(machineFullReason(c, 1024)).toBeNull();
    expect(machineFullReason(c, 1025)).toMatch(/1024 MB of memory left for apps and the release needs 1025 MB .*2 running replicas.*MACHINE_MEMORY_RESERVED_MB/);
  });

  it('refuses when the Docker data root is below its reserve, and ignores a disk it cannot see', () => {
    const low = capacityOf(machine(24, 0.5), { replicas: 0, memoryMb: 0 }, settings);
    expect(machineFullReason(low, 64)).toMatch(/512 MB free, below the 1024 MB kept by MACHINE_DISK_RESERVED_MB/);
    expect(machineFullReason(capacityOf(machine(24, null), { replicas: 0, memoryMb: 0 }, settings), 64)).toBeNull();
  });

  it('never reports a negative room in the refusal when the machine is already over-committed', () => {
    const over = capacityOf(machine(2, 50), { replicas: 1, memoryMb: 1024 }, settings);
    expect(over.memory.availableMb).toBe(-1024);
    expect(machineFullReason(over, 64)).toMatch(/^this machine has 0 MB of memory left/);
  });
});
