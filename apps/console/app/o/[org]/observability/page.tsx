import type { Metadata } from 'next';
import { Suspense } from 'react';
import { OrgHealthView } from '../../../../components/observability/org-health-view';
import { Loading } from '../../../../components/ui/layout-bits';

export const metadata: Metadata = { title: 'Observability' };

export default function OrgObservabilityPage() {
  // The range lives in the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense fallback={<Loading />}>
      <OrgHealthView />
    </Suspense>
  );
}
