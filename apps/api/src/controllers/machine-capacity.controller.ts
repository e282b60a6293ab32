import { Controller } from '@nestjs/common';
import { MachineCapacity } from '@slipway/deployments';
import type { MachineCapacityDto } from '@slipway/contracts';
import { Route } from '../http/route.decorator';

/**
 * The machine's remaining room for deployments (memory, disk), for organization admins: the
 * figures are machine-wide totals and name no other tenant. The route's ADMIN role is enforced
 * by the guard the contract binds.
 */
@Controller()
export class MachineCapacityController {
  constructor(private readonly capacity: MachineCapacity) {}

  @Route('getMachineCapacity')
  get(): Promise<MachineCapacityDto> {
    return this.capacity.snapshot();
  }
}
