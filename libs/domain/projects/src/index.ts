export * from './projects.service';
export * from './environments.service';
export * from './urls';
export * from './projects.module';
export * from './git-access.service';
export * from './quotas';
