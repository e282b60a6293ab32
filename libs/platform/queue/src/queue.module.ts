import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue';
import { JobWorkers } from './job-workers';

@Global()
@Module({ providers: [JobQueue, JobWorkers], exports: [JobQueue, JobWorkers] })
export class QueueModule {}
