import type { Metadata } from 'next';
import { ApiAdminView } from '../../../../../components/marketplace/api-admin-view';

export const metadata: Metadata = { title: 'API' };

export default async function ApiAdminPage({ params }: { params: Promise<{ api: string }> }) {
  const { api } = await params;
  return <ApiAdminView slug={api} />;
}
