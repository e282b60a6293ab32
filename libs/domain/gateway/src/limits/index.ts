export { attributionOf, type Attribution } from './attribution';
export type { BudgetUsage, Estimate, LimitDecision, LimitSubject, Reservation } from './limit-types';
export { GatewayLimits } from './gateway-limits';
export { reserveWithActions } from './reserve-with-actions';
export { mayLimit } from './limit-plan';
export { UNLIMITED } from './reservation';
