export * from './job-queue';
export * from './job-workers';
export * from './queue.module';
export * from './job-schedules';
