'use client';

import type { MachineCapacityDto } from '@slipway/contracts';
import { useApiQuery } from '../../lib/api-query';
import { Badge, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';

const gb = (mb: number) => `${(mb / 1024).toFixed(1)} GB`;

/** One line: what is left for apps, and what it is made of. */
function Row({ label, left, detail }: { label: string; left: number; detail: string }) {
  return (
    <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-1.5 text-sm">
      <span className="w-16 font-medium text-zinc-700">{label}</span>
      <span className="tabular-nums" data-testid={`capacity-${label.toLowerCase()}-left`}>
        {gb(Math.max(0, left))} left
      </span>
      {left <= 0 ? <Badge tone="red">full: deployments are refused</Badge> : null}
      <span className="text-zinc-500">{detail}</span>
    </div>
  );
}

/**
 * The machine's remaining room for deployments (admins only: the route is ADMIN and the caller
 * renders this for admins). Past zero, deployments fail with MACHINE_FULL.
 */
export function MachineCapacityPanel({ org }: { org: string }) {
  const capacity = useApiQuery('getMachineCapacity', { org }, { refetchInterval: 30_000 });
  return (
    <Section title="Machine capacity">
      <ResourceState query={capacity} what="the machine's capacity">
        {(c: MachineCapacityDto) => (
          <div aria-label="Machine capacity">
            <Row
              label="Memory"
              left={c.memory.availableMb}
              detail={`of ${gb(c.memory.totalMb)}: ${gb(c.memory.reservedByReplicasMb)} reserved by ${c.replicas} running replica${c.replicas === 1 ? '' : 's'} (all organizations), ${gb(c.memory.headroomMb)} kept for the platform`}
            />
            {c.disk ? (
              <Row label="Disk" left={c.disk.availableMb} detail={`${gb(c.disk.freeMb)} free of ${gb(c.disk.totalMb)} on the Docker data root, ${gb(c.disk.reserveMb)} kept in reserve`} />
            ) : null}
            <p className="pt-1 text-xs text-zinc-500">Settings: {c.settings.join(', ')}.</p>
          </div>
        )}
      </ResourceState>
    </Section>
  );
}
