import type { Metadata } from 'next';
import { PublisherInvoiceView } from '../../../../../../../components/marketplace/publisher-invoice-view';

export const metadata: Metadata = { title: 'Invoice' };

export default async function PublisherInvoicePage({ params }: { params: Promise<{ api: string; invoice: string }> }) {
  const { api, invoice } = await params;
  return <PublisherInvoiceView listing={api} invoice={invoice} />;
}
