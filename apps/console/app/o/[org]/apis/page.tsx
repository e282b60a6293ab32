import type { Metadata } from 'next';
import { ApisView } from '../../../../components/marketplace/apis-view';

export const metadata: Metadata = { title: 'APIs' };

export default function ApisPage() {
  return <ApisView />;
}
