import { Global, Module } from '@nestjs/common';
import { CONTAINER_METRICS, DockerContainerMetrics } from './container-metrics';
import { CONTAINER_RUNTIME } from './container-runtime';
import { DockerEngine } from './docker-engine';
import { DockerMachineInfo, MACHINE_INFO } from './machine-info';

/** Provides DockerEngine and binds CONTAINER_RUNTIME to it (CONTAINER_METRICS to DockerContainerMetrics, MACHINE_INFO to DockerMachineInfo); domain code injects the tokens. */
@Global()
@Module({
  providers: [
    DockerEngine,
    { provide: CONTAINER_RUNTIME, useExisting: DockerEngine },
    DockerContainerMetrics,
    { provide: CONTAINER_METRICS, useExisting: DockerContainerMetrics },
    DockerMachineInfo,
    { provide: MACHINE_INFO, useExisting: DockerMachineInfo },
  ],
  exports: [DockerEngine, CONTAINER_RUNTIME, DockerContainerMetrics, CONTAINER_METRICS, DockerMachineInfo, MACHINE_INFO],
})
export class DockerModule {}
