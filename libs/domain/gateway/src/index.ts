export {};
export * from './resilience';
