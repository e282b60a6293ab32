import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CatalogView } from '../../components/marketplace/catalog-view';
import { Loading } from '../../components/ui/layout-bits';

export const metadata: Metadata = { title: 'API catalog' };

export default function CatalogPage() {
  // Search and category live in the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense fallback={<Loading />}>
      <CatalogView />
    </Suspense>
  );
}
