export { ANTHROPIC_CATALOG, lookupModel, MOCK_CATALOG, OPENAI_CATALOG, UNKNOWN_COMPATIBLE_MODEL } from './catalog';
export { builtInGatewayConfig } from './built-in-config';
export { costMicros } from './cost';
export { effectiveGatewayConfig, type EffectiveConfigInput, type RoutingSource } from './effective-config';
export { listModels, type ListedModel } from './list-models';
export { DEFAULT_MAX_ATTEMPTS, planRoutes, type PlanInput, type PlannedRoute, type RoutePlan } from './plan-routes';
export { mockProviderRef, type ProviderRef } from './provider-ref';
export { requestNeeds, type RequestNeeds } from './request-needs';
export { validateGatewayConfig, type GatewayConfigValidation } from './validate-config';
