import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue';
import { JobSchedules } from './job-schedules';
import { JobWorkers } from './job-workers';

@Global()
@Module({ providers: [JobQueue, JobWorkers, JobSchedules], exports: [JobQueue, JobWorkers, JobSchedules] })
export class QueueModule {}
