import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ObservabilityView } from '../../../../../../components/observability/observability-view';
import { Loading } from '../../../../../../components/ui/layout-bits';

export const metadata: Metadata = { title: 'Observability' };

export default async function ProjectObservabilityPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  // The range lives in the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense fallback={<Loading />}>
      <ObservabilityView project={project} />
    </Suspense>
  );
}
