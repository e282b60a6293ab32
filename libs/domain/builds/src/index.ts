export * from './recipe';
export * from './builds.service';
export * from './run-build';
export * from './builds.module';
export * from './source-check';
