export {};
export * from './resilience';
export * from './limits';
export * from './translate';
export * from './routing';
export * from './usage';
