import { Global, Module } from '@nestjs/common';
import { CONTAINER_METRICS, DockerContainerMetrics } from './container-metrics';
import { CONTAINER_RUNTIME } from './container-runtime';
import { DockerEngine } from './docker-engine';

/** Provides DockerEngine and binds CONTAINER_RUNTIME to it (CONTAINER_METRICS to DockerContainerMetrics); domain code injects the tokens. */
@Global()
@Module({
  providers: [
    DockerEngine,
    { provide: CONTAINER_RUNTIME, useExisting: DockerEngine },
    DockerContainerMetrics,
    { provide: CONTAINER_METRICS, useExisting: DockerContainerMetrics },
  ],
  exports: [DockerEngine, CONTAINER_RUNTIME, DockerContainerMetrics, CONTAINER_METRICS],
})
export class DockerModule {}
