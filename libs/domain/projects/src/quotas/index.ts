export { QuotasModule } from './quotas.module';
export { OrgQuotas, type EnvironmentChange } from './org-quotas.service';
export { assertWithinQuotas, footprintOf, usageOf, type Footprint, type QuotaLimits, type QuotaUsage } from './org-quotas';
