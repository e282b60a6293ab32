'use client';

import { useCan, useOrg } from '../../lib/org';
import { Notice } from '../ui/alert';
import { PageHeader } from '../ui/layout-bits';
import { ProvidersSection } from './providers-section';
import { RoutingDefaultsSection } from './routing-defaults-section';

/** The organization's model providers and the routing every app gets when its release sets none. */
export function OrgGatewayView() {
  const org = useOrg();
  const isMember = useCan('MEMBER');
  const isAdmin = useCan('ADMIN');
  return (
    <>
      <PageHeader
        title="Model gateway"
        description="Providers your apps’ model calls may be routed to, and the routing defaults for releases whose slipway.yaml has no gateway section."
      />
      {!isMember ? (
        <Notice>
          Viewers cannot see the organization’s providers or routing. Each project’s gateway page shows the routing its environments use.
        </Notice>
      ) : (
        <>
          {isAdmin ? null : (
            <div className="mb-4">
              <Notice>Only admins can add providers or change the routing defaults; you can read them.</Notice>
            </div>
          )}
          <ProvidersSection org={org.slug} canEdit={isAdmin} />
          <RoutingDefaultsSection org={org.slug} canEdit={isAdmin} />
        </>
      )}
    </>
  );
}
