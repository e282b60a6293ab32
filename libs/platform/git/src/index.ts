export * from './git-repositories';
export * from './git.module';
export * from './http-backend';
export * from './commits';
export * from './commit-tree';
