import type { Metadata } from 'next';
import { OrgGatewayView } from '../../../../components/gateway/org-gateway-view';

export const metadata: Metadata = { title: 'Model gateway' };

export default function OrgGatewayPage() {
  return <OrgGatewayView />;
}
