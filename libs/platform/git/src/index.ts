export * from './git-repositories';
export * from './git.module';
