export {};
export * from './resilience';
export * from './translate';
