import { z } from 'zod';
import { BUDGET_ACTIONS, BUDGET_SCOPES } from './gateway-config';

/**
 * Spend of each budget of an environment's effective routing, for the console's usage bars.
 * Counters are per project (every environment of a project shares them); a budget without
 * `match` on a per-value scope (alias, feature, customer, key) shows its highest value's spend.
 */

export const gatewayBudgetsQuerySchema = z.object({
  /** Whose routing decides which budgets exist; production (which every project has) by default. */
  environment: z.string().min(1).max(63).default('production'),
});
export type GatewayBudgetsQuery = z.infer<typeof gatewayBudgetsQuerySchema>;

export const gatewayBudgetUsageSchema = z.object({
  /** The budget's `name`, or one derived from its scope, match and period. */
  name: z.string(),
  scope: z.enum(BUDGET_SCOPES),
  match: z.string().nullable(),
  period: z.enum(['day', 'month']),
  limitUsd: z.number(),
  spentUsd: z.number(),
  action: z.enum(BUDGET_ACTIONS),
});
export type GatewayBudgetUsageDto = z.infer<typeof gatewayBudgetUsageSchema>;
