import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListingView } from '../../../components/marketplace/listing-view';
import { Loading } from '../../../components/ui/layout-bits';

export const metadata: Metadata = { title: 'API' };

export default async function CatalogListingPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return (
    <Suspense fallback={<Loading />}>
      <ListingView slug={slug} />
    </Suspense>
  );
}
