import type { Metadata } from 'next';
import { SubscriptionView } from '../../../../../components/marketplace/subscription-view';

export const metadata: Metadata = { title: 'Subscription' };

export default async function SubscriptionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SubscriptionView id={id} />;
}
