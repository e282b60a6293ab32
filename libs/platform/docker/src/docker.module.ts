import { Global, Module } from '@nestjs/common';
import { CONTAINER_RUNTIME } from './container-runtime';
import { DockerEngine } from './docker-engine';

/** Provides DockerEngine and binds CONTAINER_RUNTIME to it; domain code injects the token. */
@Global()
@Module({
  providers: [DockerEngine, { provide: CONTAINER_RUNTIME, useExisting: DockerEngine }],
  exports: [DockerEngine, CONTAINER_RUNTIME],
})
export class DockerModule {}
