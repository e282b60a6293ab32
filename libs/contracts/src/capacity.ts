import { z } from 'zod';

/**
 * The machine's remaining room for deployments (shown to organization admins): memory is the
 * engine's total minus what running replicas reserve (replicas × their release's memory) minus
 * the headroom kept for the platform; disk is the free space of the engine's data root minus
 * its reserve. `disk` is null when the engine is not on this machine.
 */
export const machineCapacitySchema = z.object({
  memory: z.object({
    totalMb: z.number().int(),
    reservedByReplicasMb: z.number().int(),
    headroomMb: z.number().int(),
    availableMb: z.number().int(),
  }),
  disk: z
    .object({
      totalMb: z.number().int(),
      freeMb: z.number().int(),
      reserveMb: z.number().int(),
      availableMb: z.number().int(),
    })
    .nullable(),
  /** Replicas running (or starting) on the machine, all organizations together. */
  replicas: z.number().int(),
  /** The settings that change these figures. */
  settings: z.array(z.string()),
});
export type MachineCapacityDto = z.infer<typeof machineCapacitySchema>;
