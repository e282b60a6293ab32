export * from './machine-capacity';
export * from './machine-capacity.repository';
