import type { OtlpResource } from '@slipway/otlp';

/** Who a record belongs to, by name: what the operator's dashboards group and filter by. */
export interface TenantNames {
  organizationId: string;
  organizationSlug: string;
  projectId: string;
  projectSlug: string;
  environmentId: string | null;
  environmentName: string | null;
  /** Null for gateway calls made with a key outside any release (e.g. from a developer's laptop). */
  release: { id: string; number: number; commitSha: string } | null;
}

/**
 * The OTLP resource of one Slipway release (or project/environment without a release):
 * OpenTelemetry's service and deployment names, so Grafana, Datadog and the like show a
 * version per deploy out of the box, and `slipway.*` ids for exact joins back to Slipway.
 * Organization slugs are unique across the installation; the project slug within it.
 */
export function tenantResource(t: TenantNames): OtlpResource {
  const attributes: Record<string, string | number> = {
    'service.name': t.projectSlug,
    'service.namespace': t.organizationSlug,
    'slipway.organization.id': t.organizationId,
    'slipway.organization.slug': t.organizationSlug,
    'slipway.project.id': t.projectId,
    'slipway.project.slug': t.projectSlug,
  };
  if (t.environmentId && t.environmentName) {
    attributes['deployment.environment.name'] = t.environmentName;
    attributes['slipway.environment.id'] = t.environmentId;
  }
  if (t.release) {
    attributes['service.version'] = `v${t.release.number}`;
    attributes['vcs.ref.head.revision'] = t.release.commitSha;
    attributes['slipway.release.id'] = t.release.id;
    attributes['slipway.release.number'] = t.release.number;
  }
  return attributes;
}

/** One resource object per tenant key, so records of the same release share it (the encoder groups by object). */
export class ResourceBook {
  private readonly resources = new Map<string, OtlpResource>();
  constructor(private readonly names: ReadonlyMap<string, TenantNames>) {}

  /** The resource of `key` (see `tenantKey`), or undefined when its rows are gone (a deleted project). */
  get(key: string): OtlpResource | undefined {
    let resource = this.resources.get(key);
    if (!resource) {
      const names = this.names.get(key);
      if (!names) return undefined;
      this.resources.set(key, (resource = tenantResource(names)));
    }
    return resource;
  }
}

export const tenantKey = (projectId: string, environmentId: string | null, releaseId: string | null): string => `${projectId}/${environmentId ?? ''}/${releaseId ?? ''}`;
