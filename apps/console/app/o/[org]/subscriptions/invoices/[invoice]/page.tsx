import type { Metadata } from 'next';
import { ConsumerInvoiceView } from '../../../../../../components/marketplace/invoice-view';

export const metadata: Metadata = { title: 'Invoice' };

export default async function ConsumerInvoicePage({ params }: { params: Promise<{ invoice: string }> }) {
  const { invoice } = await params;
  return <ConsumerInvoiceView invoice={invoice} />;
}
